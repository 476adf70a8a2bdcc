import { context } from '@actions/github';
import type { GithubContextLike } from './ref-context.js';

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
