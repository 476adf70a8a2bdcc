import { getOctokit } from '@actions/github';
import { type SimpleGit, simpleGit } from 'simple-git';

/** Whether one commit already contains another, or why that could not be told. */
export type AncestryAnswer = { contains: boolean; how: string } | { contains?: undefined; unknown: string };

/** Asks whether `descendant` contains `ancestor` (is it, or has it in its history). */
export type CommitAncestry = (descendant: string, ancestor: string) => Promise<AncestryAnswer>;

/** How far back one fetch looks for the other commit; a re-run is seldom more commits behind. */
export const FETCH_DEPTH = 200;
const API_TIMEOUT_MS = 10_000;

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}

/** What the compare API's `status` says about `head` (the descendant) against `base`. */
export function compareStatusContains(status: string): boolean | undefined {
  switch (status) {
    case 'ahead':
    case 'identical':
      return true;
    case 'behind':
    case 'diverged':
      return false;
    default:
      return undefined;
  }
}

/** The part of Octokit the compare call needs; tests pass a fake. */
export interface CompareClient {
  rest: {
    repos: {
      compareCommitsWithBasehead(params: {
        owner: string;
        repo: string;
        basehead: string;
        per_page?: number;
        request?: { signal?: AbortSignal };
      }): Promise<{ data: { status: string } }>;
    };
  };
}

/** The GitHub compare API (`GET /repos/{owner}/{repo}/compare/{ancestor}...{descendant}`) with the job's token. */
export function apiAncestry(client: CompareClient, repository: string): CommitAncestry {
  return async (descendant, ancestor) => {
    const [owner, repo] = repository.split('/');
    if (owner === undefined || repo === undefined) return { unknown: `"${repository}" is not owner/name` };
    try {
      const { data } = await client.rest.repos.compareCommitsWithBasehead({
        owner,
        repo,
        basehead: `${ancestor}...${descendant}`,
        per_page: 1,
        request: { signal: AbortSignal.timeout(API_TIMEOUT_MS) },
      });
      const contains = compareStatusContains(data.status);
      return contains === undefined
        ? { unknown: `the compare API answered status "${data.status}"` }
        : { contains, how: `GitHub's compare API: ${data.status}` };
    } catch (error) {
      return { unknown: `the compare API failed: ${firstLine(error)}` };
    }
  };
}

async function isAncestor(git: SimpleGit, ancestor: string, descendant: string): Promise<boolean> {
  try {
    await git.raw(['merge-base', '--is-ancestor', ancestor, descendant]);
    return true;
  } catch {
    return false;
  }
}

async function hasCommit(git: SimpleGit, sha: string): Promise<boolean> {
  try {
    await git.raw(['cat-file', '-e', `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Asks git in the checkout, fetching just enough from `origin`: each commit with its last
 * FETCH_DEPTH commits (actions/checkout fetches one commit by default). `descendant` contains
 * `ancestor` when git finds it in its history; when git instead finds `descendant` in the history
 * of `ancestor`, it does not. Neither: the commits are too far apart (or diverged) to tell.
 */
export function gitAncestry(directory: string, depth = FETCH_DEPTH): CommitAncestry {
  const git = simpleGit({
    baseDir: directory,
    completion: { onClose: true, onExit: false },
    // simple-git counts a non-zero exit as failure only with stderr; `merge-base --is-ancestor`
    // and `cat-file -e` answer "no" by their exit code alone.
    errors: (error, result) =>
      error ?? (result.exitCode === 0 ? undefined : Buffer.from(`git exited with code ${result.exitCode}`)),
  });
  return async (descendant, ancestor) => {
    try {
      for (const sha of [descendant, ancestor]) {
        if (
          !(await hasCommit(git, sha)) ||
          (await git.revparse(['--is-shallow-repository'])).trim() === 'true'
        ) {
          await git.raw([
            'fetch',
            '--quiet',
            '--no-tags',
            '--no-write-fetch-head',
            `--depth=${depth}`,
            'origin',
            sha,
          ]);
        }
      }
    } catch (error) {
      return { unknown: `git could not fetch the commits from origin: ${firstLine(error)}` };
    }
    if (await isAncestor(git, ancestor, descendant)) return { contains: true, how: 'git history' };
    if (await isAncestor(git, descendant, ancestor)) return { contains: false, how: 'git history' };
    return {
      unknown: `neither commit is among the other's last ${depth} commits in origin's history (far apart, or diverged)`,
    };
  };
}

/**
 * What the push event already tells (`pushedFrom`, ref-context.ts): a push that was not forced moved
 * the branch from `from` forward to `to`. The run after every ordinary push asks just this (the
 * branch's tag holds the commit it was pushed from), so it needs neither the API nor git. Other pairs go to `ask`.
 */
export function withPushEvent(ask: CommitAncestry, from: string | undefined, to: string): CommitAncestry {
  if (from === undefined || from === to) return ask;
  const how = `the push event: the branch moved from ${from.slice(0, 7)} to ${to.slice(0, 7)}`;
  return async (descendant, ancestor) => {
    if (descendant === to && ancestor === from) return { contains: true, how };
    if (descendant === from && ancestor === to) return { contains: false, how };
    return ask(descendant, ancestor);
  };
}

/**
 * The push event when it tells; else the API when there is a token and a repository (its client
 * made on the first question), git when the API cannot tell.
 */
export function commitAncestry(options: {
  directory: string;
  token: string | undefined;
  repository: string | undefined;
  /** RefContext's `pushedFrom` and `sha`. */
  pushedFrom?: string;
  sha?: string;
  client?: CompareClient;
}): CommitAncestry {
  const git = gitAncestry(options.directory);
  const { token, repository, pushedFrom, sha = '' } = options;
  if (token === undefined || repository === undefined) return withPushEvent(git, pushedFrom, sha);
  let client = options.client;
  // The bundle leaves out the toolkit's HTTP stack (scripts/bundle.mjs): Octokit sends through Node's fetch.
  const api: CommitAncestry = (descendant, ancestor) =>
    apiAncestry((client ??= getOctokit(token, { request: { fetch } })), repository)(descendant, ancestor);
  return withPushEvent(
    async (descendant, ancestor) => {
      const answer = await api(descendant, ancestor);
      if (answer.contains !== undefined) return answer;
      const fallback = await git(descendant, ancestor);
      return fallback.contains !== undefined
        ? fallback
        : { unknown: `${answer.unknown}; ${fallback.unknown}` };
    },
    pushedFrom,
    sha,
  );
}
