import { context } from '@actions/github';
import { readHead } from './git.js';
import type { GithubContextLike } from './payload.js';
import { type RefContext, toRefContext } from './ref-context.js';

/** The runner's variables and event payload, read once through @actions/github. */
export function githubContext(env: NodeJS.ProcessEnv): GithubContextLike {
  return {
    eventName: context.eventName,
    ref: context.ref,
    sha: context.sha,
    serverUrl: context.serverUrl,
    runNumber: Number.isFinite(context.runNumber) ? context.runNumber : undefined,
    repository: env.GITHUB_REPOSITORY || undefined,
    payload: context.payload,
  };
}

/** The context stage: the runner's variables and what git says about the checked-out commit. */
export async function readRefContext(
  env: NodeJS.ProcessEnv,
  directory: string,
  debug: (message: string) => void,
): Promise<RefContext> {
  const head = await readHead(directory, env);
  if (head.problem !== undefined) debug(`git could not read HEAD: ${head.problem}`);
  return toRefContext(githubContext(env), head);
}
