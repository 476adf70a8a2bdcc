// `push-timeout` for the parts of a buildx build that talk to a registry on their own: a push that
// buildx makes itself, and a registry cache export (BuildKit sets no deadline on either; a registry
// that accepted the connection and never answers would hold the build until the job's timeout).
// Each is counted from the line that starts it, as for `docker push`; the build steps before them
// have no deadline. @actions/exec gives no handle on the child, so the build runs in a session of
// its own and the deadline ends that session, as the test command's cleanup does.
import { cacheExportVertex, pushingVertex, vertexDone } from '../docker/build-push-failure.js';
import type { CommandResult, RunOptions } from '../shared/command.js';
import { endTestProcesses } from './test-session.js';

export interface PushDeadline {
  /** For the build's own pushes; undefined when `docker push` pushes (or nothing does). */
  pushSeconds?: number;
  /** For its registry cache export; undefined when it exports none. */
  cacheExportSeconds?: number;
  /** The build command's session file (Command.sessionFile). */
  sessionFile: string;
}

/** A build's result; `cacheExportStopped`: the deadline ended it during its cache export, after the image was made. */
export type DeadlineResult = CommandResult & { cacheExportStopped?: true };

/** Ends every process of the session `sessionFile` names. */
export type EndSession = (sessionFile: string) => Promise<unknown>;

type Part = 'push' | 'cache export';

/**
 * Runs the build (`run`), watching its lines; once one says a push (or a cache export) began, that
 * part, up to its vertex's `DONE`, gets its deadline. A build stopped in a push comes back
 * `timedOut`, like a `docker push` stopped by `timeout`; one stopped in its cache export comes back
 * `cacheExportStopped` (BuildKit exports the cache after the image, so the image was made). One that
 * finished anyway keeps its own result.
 */
export async function withPushDeadline(
  deadline: PushDeadline,
  options: RunOptions,
  run: (options: RunOptions) => Promise<CommandResult>,
  end: EndSession = endTestProcesses,
): Promise<DeadlineResult> {
  let timer: NodeJS.Timeout | undefined;
  let watched: { vertex: string; part: Part } | undefined;
  let stopped: { part: Part; ending: Promise<unknown> } | undefined;
  const start = (line: string): { vertex: string; part: Part; seconds: number } | undefined => {
    const push = deadline.pushSeconds === undefined ? undefined : pushingVertex(line);
    if (push !== undefined && deadline.pushSeconds !== undefined)
      return { vertex: push, part: 'push', seconds: deadline.pushSeconds };
    const cache = deadline.cacheExportSeconds === undefined ? undefined : cacheExportVertex(line);
    if (cache !== undefined && deadline.cacheExportSeconds !== undefined)
      return { vertex: cache, part: 'cache export', seconds: deadline.cacheExportSeconds };
    return undefined;
  };
  const onLine = (line: string): void => {
    options.onLine?.(line);
    if (watched !== undefined) {
      // That part is over: the next one gets its own time.
      if (!vertexDone(line, watched.vertex)) return;
      clearTimeout(timer);
      watched = undefined;
      return;
    }
    const begun = start(line);
    if (begun === undefined) return;
    watched = begun;
    timer = setTimeout(() => {
      stopped = { part: begun.part, ending: end(deadline.sessionFile).catch(() => undefined) };
    }, begun.seconds * 1000);
  };
  let result: CommandResult;
  try {
    result = await run({ ...options, onLine });
  } finally {
    clearTimeout(timer);
  }
  if (stopped === undefined) return result;
  await stopped.ending;
  if (result.exitCode === 0) return result;
  return stopped.part === 'push' ? { ...result, timedOut: true } : { ...result, cacheExportStopped: true };
}
