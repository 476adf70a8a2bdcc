// A pull request's code can be checked out on events that are not pull-request events: a
// `workflow_run` after a fork's pull request run, an `issue_comment` on a pull request ("/build").
// The runner's ref and sha are then the base branch's, so git's branch (a fork's `main`) or the
// runner's ref would tag the fork's code as the base branch's. These events are recognised here.
import { field, type GithubContextLike, type PullRequest, text } from './payload.js';

/** The fork's code that the workspace holds, and the pull request it belongs to when the payload says. */
export interface ForkHead {
  /** owner/name of the fork; `a fork` when the payload does not name it (a deleted fork). */
  repository: string;
  pullRequest: PullRequest | undefined;
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * Whether the workspace holds the runner's own commit (the base repository's code): only then is
 * the run not a fork's. A HEAD git could not read counts as not the runner's.
 */
function runnersOwnCommit(github: GithubContextLike, headSha: string | undefined): boolean {
  return (
    headSha !== undefined && github.sha !== undefined && headSha.toLowerCase() === github.sha.toLowerCase()
  );
}

/**
 * `workflow_run` whose triggering run was on a fork's head (`workflow_run.head_repository` is not
 * the repository the workflow runs in), unless the workspace holds the runner's own commit.
 */
function workflowRunFork(github: GithubContextLike, headSha: string | undefined): ForkHead | undefined {
  const run = field(github.payload, 'workflow_run');
  if (run === undefined) return undefined;
  const base = text(field(github.payload, 'repository', 'full_name')) ?? github.repository;
  const head = text(field(run, 'head_repository', 'full_name'));
  if (head !== undefined && head === base) return undefined;
  if (runnersOwnCommit(github, headSha)) return undefined;
  const pulls = field(run, 'pull_requests');
  const number = Array.isArray(pulls) ? integer(field(pulls[0], 'number')) : undefined;
  const headRef = text(field(run, 'head_branch')) ?? '';
  const baseRef = (Array.isArray(pulls) ? text(field(pulls[0], 'base', 'ref')) : undefined) ?? '';
  return {
    repository: head ?? 'a fork',
    pullRequest: number === undefined ? undefined : { number, headRef, baseRef, fromFork: true },
  };
}

/**
 * `issue_comment` on a pull request: the payload names the pull request (`issue.number`) but not
 * its head's repository or commit. Unless the workspace holds the runner's own commit, the code
 * is taken to be the pull request's, and from a fork (what cannot be known counts as a fork).
 */
function issueCommentPullRequest(
  github: GithubContextLike,
  headSha: string | undefined,
): ForkHead | undefined {
  const issue = field(github.payload, 'issue');
  if (field(issue, 'pull_request') === undefined) return undefined;
  const number = integer(field(issue, 'number'));
  if (number === undefined || runnersOwnCommit(github, headSha)) return undefined;
  return { repository: 'a fork', pullRequest: { number, headRef: '', baseRef: '', fromFork: true } };
}

/** The fork's code the run builds outside pull-request events; undefined when it builds the base's. */
export function forkHead(github: GithubContextLike, headSha: string | undefined): ForkHead | undefined {
  if (github.eventName === 'workflow_run') return workflowRunFork(github, headSha);
  if (github.eventName === 'issue_comment') return issueCommentPullRequest(github, headSha);
  return undefined;
}
