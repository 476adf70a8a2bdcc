// `push-timeout` for a build that buildx pushes itself, counted from the moment its push begins, as
// for `docker push`; the build steps before it have no deadline. @actions/exec gives no handle on the
// child, so the build runs in a session of its own and the deadline ends that session, as the test
// command's cleanup does.
import { pushingVertex, vertexDone } from '../docker/build-push-failure.js';
import type { CommandResult, RunOptions } from '../shared/command.js';
import { endTestProcesses } from './test-session.js';

export interface PushDeadline {
  seconds: number;
  /** The build command's session file (Command.sessionFile). */
  sessionFile: string;
}

/** Ends every process of the session `sessionFile` names. */
export type EndSession = (sessionFile: string) => Promise<unknown>;

/**
 * Runs the build (`run`), watching its lines; once one says a push began, that push (up to its
 * vertex's `DONE`) gets `deadline.seconds`. A build stopped at the deadline comes back `timedOut`, like a `docker
 * push` stopped by `timeout`; one that finished anyway keeps its own result.
 */
export async function withPushDeadline(
  deadline: PushDeadline,
  options: RunOptions,
  run: (options: RunOptions) => Promise<CommandResult>,
  end: EndSession = endTestProcesses,
): Promise<CommandResult> {
  let timer: NodeJS.Timeout | undefined;
  let pushing: string | undefined;
  let stopping: Promise<unknown> | undefined;
  const onLine = (line: string): void => {
    options.onLine?.(line);
    if (pushing !== undefined) {
      // The push is over (a cache export after it is not a push): the next push gets its own time.
      if (!vertexDone(line, pushing)) return;
      clearTimeout(timer);
      pushing = undefined;
      return;
    }
    pushing = pushingVertex(line);
    if (pushing === undefined) return;
    timer = setTimeout(() => {
      stopping = end(deadline.sessionFile).catch(() => undefined);
    }, deadline.seconds * 1000);
  };
  let result: CommandResult;
  try {
    result = await run({ ...options, onLine });
  } finally {
    clearTimeout(timer);
  }
  if (stopping === undefined) return result;
  await stopping;
  return result.exitCode === 0 ? result : { ...result, timedOut: true };
}
