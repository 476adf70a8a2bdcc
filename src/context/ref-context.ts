import type { Head } from './git.js';
import { forkHead } from './fork-head.js';
import { field, type GithubContextLike, type PullRequest, text } from './payload.js';
import { repositoryMetadata, type RepositoryMetadata } from './repository-metadata.js';

/** What the runner tells about the run, as plain data: every ref case is a table row in tests. */
export interface RefContext {
  /** Event that started the workflow: push, pull_request, schedule, ... */
  eventName: string;
  /** Full git ref of the run: refs/heads/main, refs/tags/v1.0.0, refs/pull/12/merge. */
  ref: string;
  /** Commit being built (40 hex characters on a runner). */
  sha: string;
  /** Committer date of the checked-out commit per git (ISO 8601); undefined when git has none. */
  commitTime: string | undefined;
  /** Branch checked out in the workspace per git; undefined when HEAD is detached or git has none. */
  gitBranch: string | undefined;
  /**
   * Set on pull request events (pull_request, pull_request_target, reviews), and on the events that
   * build a pull request's code outside them (fork-head.ts): `issue_comment` on a pull request and
   * `workflow_run` of a fork's run that names its pull request.
   */
  pullRequest: PullRequest | undefined;
  /**
   * A fork's code checked out on an event that names no pull request (`workflow_run` of a fork's
   * run: GitHub leaves its `pull_requests` empty): the fork, owner/name. Its tags could not be told
   * apart from the base repository's, so tagging refuses it.
   */
  unnumberedForkHead: string | undefined;
  /** owner/name of the repository, when the runner gives it. */
  repository: string | undefined;
  /** Web address of the repository, e.g. https://github.com/acme/app. */
  repositoryUrl: string | undefined;
  /** The repository's default branch, from the event payload. */
  defaultBranch: string | undefined;
  /** GITHUB_RUN_NUMBER, when set. */
  runNumber: number | undefined;
  /** The event's repository object: description and license (labels description and licenses). */
  repositoryMetadata: RepositoryMetadata;
  /**
   * The commit a push event moved the branch from (`before`) when the push was not forced and its
   * head (`after`) is this run's commit: that commit is then in this one's history. Else undefined.
   */
  pushedFrom: string | undefined;
}

const NO_COMMIT = /^0+$/;

function pushedFromOf(github: GithubContextLike): string | undefined {
  if (github.eventName !== 'push' || field(github.payload, 'forced') === true) return undefined;
  const before = text(field(github.payload, 'before'));
  const after = text(field(github.payload, 'after'));
  if (before === undefined || NO_COMMIT.test(before) || after === undefined || after !== github.sha)
    return undefined;
  return before;
}

function headShaOf(pr: unknown): { headSha?: string } {
  const sha = text(field(pr, 'head', 'sha'));
  return sha === undefined ? {} : { headSha: sha };
}

function pullRequestOf(github: GithubContextLike): PullRequest | undefined {
  if (!github.eventName?.startsWith('pull_request')) return undefined;
  const pr = field(github.payload, 'pull_request');
  const number = field(pr, 'number') ?? field(github.payload, 'number');
  if (typeof number !== 'number' || !Number.isInteger(number)) return undefined;
  const headRepo = text(field(pr, 'head', 'repo', 'full_name'));
  const baseRepo = text(field(pr, 'base', 'repo', 'full_name')) ?? github.repository;
  return {
    number,
    headRef: text(field(pr, 'head', 'ref')) ?? '',
    baseRef: text(field(pr, 'base', 'ref')) ?? '',
    ...headShaOf(pr),
    fromFork: headRepo === undefined || baseRepo === undefined || headRepo !== baseRepo,
  };
}

/** Builds the typed ref context from the runner's context and what git reports about HEAD. */
export function toRefContext(github: GithubContextLike, head: Omit<Head, 'problem'>): RefContext {
  const repository = github.repository ?? text(field(github.payload, 'repository', 'full_name')) ?? undefined;
  const serverUrl = (github.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  const fork = forkHead(github, head.sha);
  return {
    eventName: github.eventName ?? '',
    ref: github.ref ?? '',
    sha: github.sha ?? '',
    commitTime: head.commitTime,
    gitBranch: head.branch === 'HEAD' || head.branch === '' ? undefined : head.branch,
    pullRequest: pullRequestOf(github) ?? fork?.pullRequest,
    unnumberedForkHead: fork !== undefined && fork.pullRequest === undefined ? fork.repository : undefined,
    repository,
    repositoryUrl: repository === undefined ? undefined : `${serverUrl}/${repository}`,
    defaultBranch: text(field(github.payload, 'repository', 'default_branch')),
    runNumber:
      github.runNumber !== undefined && Number.isFinite(github.runNumber) ? github.runNumber : undefined,
    repositoryMetadata: repositoryMetadata(github.payload),
    pushedFrom: pushedFromOf(github),
  };
}
