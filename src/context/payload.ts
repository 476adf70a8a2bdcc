// The event payload's shapes we read, and reading it: JSON of any shape, a missing or mistyped field is undefined.

/** The value at `path` in `value`; undefined where an object is missing on the way. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A non-empty string, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export interface PullRequest {
  number: number;
  /** Branch the pull request comes from (may be a fork's). */
  headRef: string;
  /** Branch it targets. */
  baseRef: string;
  /** The pull request's head commit (`pull_request.head.sha`): what its author pushed; absent when the payload has none. */
  headSha?: string;
  /**
   * False only when the payload shows the head branch in the base repository itself; a fork, a
   * deleted fork and a payload that does not tell all count as forks.
   */
  fromFork: boolean;
}

/** The fields of @actions/github's context (plus GITHUB_REPOSITORY) that we read. */
export interface GithubContextLike {
  eventName: string | undefined;
  ref: string | undefined;
  sha: string | undefined;
  serverUrl: string | undefined;
  runNumber: number | undefined;
  repository: string | undefined;
  payload: Record<string, unknown>;
}
