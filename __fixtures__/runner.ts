// Captured-looking runner environments: the GITHUB_* variables, the event payload the runner writes to
// GITHUB_EVENT_PATH, and what git says in the workspace after actions/checkout.
import { readFileSync } from 'node:fs';
import type { GithubContextLike } from '../src/context/payload.js';
import { type RefContext, toRefContext } from '../src/context/ref-context.js';
import type { Head } from '../src/context/git.js';

export const RUNNER_FIXTURES = [
  'push-default-branch',
  'push-feature-branch',
  'pull-request',
  'pull-request-fork',
  'pull-request-target-fork',
  'tag-v1.2.3',
  'tag-v2.0.0-rc.1',
  'tag-v0.3.1',
  'tag-non-semver',
  'schedule',
  'workflow-dispatch',
] as const;
export type RunnerFixtureName = (typeof RUNNER_FIXTURES)[number];

/** Events that are not pull-request events but may build a pull request's (a fork's) code. */
export const FORK_HEAD_FIXTURES = [
  'workflow-run-fork',
  'workflow-run-fork-base-checkout',
  'workflow-run-same-repo',
  'issue-comment-pull-request',
  'issue-comment-base-checkout',
] as const;
export type ForkHeadFixtureName = (typeof FORK_HEAD_FIXTURES)[number];

export interface RunnerFixture {
  description: string;
  env: Record<string, string>;
  event: Record<string, unknown>;
  git: Omit<Head, 'problem'>;
}

export function loadRunnerFixture(name: RunnerFixtureName | ForkHeadFixtureName): RunnerFixture {
  const raw = JSON.parse(readFileSync(new URL(`runner/${name}.json`, import.meta.url), 'utf8')) as {
    description: string;
    env: Record<string, string>;
    event: Record<string, unknown>;
    git: { branch: string | null; commitTime: string | null; sha?: string };
  };
  return {
    ...raw,
    git: {
      branch: raw.git.branch ?? undefined,
      commitTime: raw.git.commitTime ?? undefined,
      sha: raw.git.sha,
    },
  };
}

/** What src/context/runner-context.ts reads from @actions/github's context when the runner has this environment. */
export function githubContextOf(fixture: RunnerFixture): GithubContextLike {
  const runNumber = parseInt(fixture.env.GITHUB_RUN_NUMBER ?? '', 10);
  return {
    eventName: fixture.env.GITHUB_EVENT_NAME,
    ref: fixture.env.GITHUB_REF,
    sha: fixture.env.GITHUB_SHA,
    serverUrl: fixture.env.GITHUB_SERVER_URL ?? 'https://github.com',
    runNumber: Number.isFinite(runNumber) ? runNumber : undefined,
    repository: fixture.env.GITHUB_REPOSITORY || undefined,
    payload: fixture.event,
  };
}

export function refContextOf(name: RunnerFixtureName | ForkHeadFixtureName): RefContext {
  const fixture = loadRunnerFixture(name);
  return toRefContext(githubContextOf(fixture), fixture.git);
}
