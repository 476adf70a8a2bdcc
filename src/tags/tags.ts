import { createHash } from 'node:crypto';
import type { RefContext } from '../context/ref-context.js';
import {
  isPlaceholder,
  knownPlaceholders,
  type Placeholder,
  placeholdersIn,
  replacePlaceholders,
  VERSION_PLACEHOLDERS,
} from '../inputs/placeholders.js';
import { fullVersion, parseVersion, versionPartSkip } from './version.js';

const MAX_TAG_LENGTH = 128;
const HASH_LENGTH = 7;

export class TagError extends Error {}

/** Shows a name with its newlines and control characters escaped, for error messages. */
export function quoted(name: string): string {
  return JSON.stringify(name);
}

/**
 * Turns any name into a valid tag: each run of characters outside [A-Za-z0-9_.-] becomes one `-`,
 * leading `.`/`-` go, and a name too long is cut and ended with `-` + 7 hex of a hash of the whole
 * name, so that long names sharing a prefix stay distinct.
 */
export function sanitizeTag(name: string): string {
  const tag = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '');
  if (tag === '') throw new TagError(`${quoted(name)} has no character that a Docker tag may hold`);
  if (tag.length <= MAX_TAG_LENGTH) return tag;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  return `${tag.slice(0, MAX_TAG_LENGTH - HASH_LENGTH - 1)}-${hash}`;
}

/** How `{ref}` was found, for logs and the summary. */
export type RefSource = 'pull request' | 'branch' | 'tag';

export interface RefNames {
  /** The name `{ref}` stands for, before sanitising; undefined when nothing names the ref. */
  ref: string | undefined;
  refSource: RefSource | undefined;
  /** The branch: git's, else the runner's; the head branch on pull requests. */
  branch: string | undefined;
  /** The git tag on tag refs. */
  gitTag: string | undefined;
}

function stripPrefix(ref: string, prefix: string): string | undefined {
  return ref.startsWith(prefix) && ref.length > prefix.length ? ref.slice(prefix.length) : undefined;
}

/** Every event about a pull request: pull_request, pull_request_target, the review events. */
export function isPullRequestEvent(eventName: string): boolean {
  return eventName.startsWith('pull_request');
}

/**
 * Pull requests tag as `pr-<number>` whatever is checked out (a fork's `main` must never become
 * `image:main`), also when another event built one (context/fork-head.ts); otherwise git's branch,
 * as the article's script does; a detached HEAD falls back to the runner's ref. A pull-request
 * event whose payload names no pull request is an error, not a push: its git branch may be a
 * fork's; so is a fork's code built on an event that names no pull request.
 */
export function refNames(context: RefContext): RefNames {
  if (context.pullRequest === undefined && isPullRequestEvent(context.eventName)) {
    throw new TagError(
      `the "${context.eventName}" event's payload names no pull request number, so its tags cannot be told apart from the base branch's; run on a pull request event with its payload, or on push`,
    );
  }
  if (context.unnumberedForkHead !== undefined) {
    throw new TagError(
      `the "${context.eventName}" event builds code of ${context.unnumberedForkHead}, a fork, and its payload names no pull request, so its tags cannot be told apart from the base branch's; build a fork's pull request on a pull_request event, or check out the run's own commit (GITHUB_SHA)`,
    );
  }
  const runnerBranch = stripPrefix(context.ref, 'refs/heads/');
  const gitTag = stripPrefix(context.ref, 'refs/tags/');
  if (context.pullRequest !== undefined) {
    return {
      ref: `pr-${context.pullRequest.number}`,
      refSource: 'pull request',
      branch: context.pullRequest.headRef || undefined,
      gitTag: undefined,
    };
  }
  const branch = context.gitBranch ?? runnerBranch;
  if (context.gitBranch !== undefined) return { ref: context.gitBranch, refSource: 'branch', branch, gitTag };
  if (gitTag !== undefined) return { ref: gitTag, refSource: 'tag', branch, gitTag };
  if (runnerBranch !== undefined) return { ref: runnerBranch, refSource: 'branch', branch, gitTag };
  return { ref: undefined, refSource: undefined, branch, gitTag };
}

/** UTC date as YYYYMMDD. */
export function compactDate(now: Date): string {
  return now.toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * `{branch}`: the branch; on pull requests `pr-<number>-<head branch>`, so that no pull request (a
 * fork's branch called `main` least of all) renders a tag the base repository's branches use.
 */
export function branchPlaceholder(context: RefContext, names: RefNames): string | undefined {
  if (names.branch === undefined || context.pullRequest === undefined) return names.branch;
  return `pr-${context.pullRequest.number}-${names.branch}`;
}

/**
 * The commit the image is built from, as tags and labels name it: a pull request's head commit
 * (what its author pushed), not the merge commit the runner checks out; else the runner's sha.
 */
export function builtCommit(context: RefContext): string | undefined {
  return context.pullRequest?.headSha || context.sha || undefined;
}

/** The version of a release run: its git tag read as a semantic version. */
export function releaseVersion(names: RefNames): ReturnType<typeof parseVersion> {
  return names.gitTag === undefined ? undefined : parseVersion(names.gitTag);
}

/** The values a template may use; undefined where the run has none. */
export function placeholderValues(
  context: RefContext,
  names: RefNames,
  now: Date,
): Record<Placeholder, string | undefined> {
  const sha = builtCommit(context);
  const version = releaseVersion(names);
  return {
    ref: names.ref,
    branch: branchPlaceholder(context, names),
    tag: names.gitTag,
    pr: context.pullRequest?.number.toString(),
    sha,
    'short-sha': sha?.slice(0, 7),
    'run-number': context.runNumber?.toString(),
    date: compactDate(now),
    'build-date': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    version: version === undefined ? undefined : fullVersion(version),
    major: version?.major.toString(),
    minor: version?.minor.toString(),
    patch: version?.patch.toString(),
  };
}

/** Which rule produced a tag: shown next to it in logs and the job summary. */
export type TagRule =
  RefSource | 'sha' | 'run number' | 'date' | 'template' | 'semver' | 'latest' | 'platform';

/**
 * How a tag may move from one image to another. `release`: to a newer version, never to an older
 * one (`latest`, `1`, `1.2`, `v{major}`); `branch`: along the branch, never back to an older commit
 * of it (`main`, `pr-12`). Absent: an exact tag, which only the tag collision rules govern.
 */
export type TagMotion = 'release' | 'branch';

export interface ResolvedTag {
  /** The tag as pushed: sanitised and valid. */
  tag: string;
  /** What it was made from, before sanitising: the branch, git tag, rendered template... */
  source: string;
  rule: TagRule;
  /** Set on a tag that moves from image to image; see TagMotion. */
  moves?: TagMotion;
}

/** `feature/Login-Page → feature-Login-Page (branch)`. */
export function describeTag({ tag, source, rule }: ResolvedTag): string {
  return `${source} → ${tag} (${rule})`;
}

/** A template that is one placeholder alone is named after what it stands for. */
function templateRule(template: string, names: RefNames): TagRule {
  const only = /^\{([^{}]*)\}$/.exec(template)?.[1];
  switch (only) {
    case 'ref':
      return names.refSource ?? 'template';
    case 'branch':
      return 'branch';
    case 'tag':
      return 'tag';
    case 'pr':
      return 'pull request';
    case 'sha':
    case 'short-sha':
      return 'sha';
    case 'run-number':
      return 'run number';
    case 'date':
      return 'date';
    case 'version':
      return 'semver';
    default:
      return 'template';
  }
}

function detachedHeadMessage(context: RefContext): string {
  return (
    `HEAD is detached and the run names no branch or tag (event "${context.eventName}", ref ${quoted(context.ref)}), ` +
    'so {ref} has no value. Check out a branch (actions/checkout with `ref: <branch>`), ' +
    'or set the `tag` input to a template that does not need one, e.g. `{short-sha}`.'
  );
}

/** A template that was not rendered on this run, and why. */
export interface SkippedTemplate {
  template: string;
  /** The placeholder that stopped it. */
  placeholder: string;
  /** Why, when it is not simply that the placeholder has no value on this run. */
  reason?: string;
}

export interface RenderedTags {
  /** One per template that rendered, in template order (duplicates included). */
  tags: ResolvedTag[];
  /** Templates skipped because a placeholder has no value on this run. */
  skipped: SkippedTemplate[];
}

/**
 * How the tag of a template moves: one that uses a version part follows versions; one that names
 * no commit follows the branch on a branch's or pull request's run; anything else is exact.
 */
export function templateMotion(used: readonly string[], names: RefNames): TagMotion | undefined {
  if (used.some((name) => VERSION_PLACEHOLDERS.includes(name as Placeholder))) return 'release';
  if (used.includes('sha') || used.includes('short-sha')) return undefined;
  return names.refSource === 'branch' || names.refSource === 'pull request' ? 'branch' : undefined;
}

/**
 * The value of each placeholder of `template`, or the first that stops it (no value, or a version
 * part a release does not move; see versionPartSkip). Throws a TagError for an unknown one.
 */
function templateValues(
  template: string,
  values: Record<Placeholder, string | undefined>,
  names: RefNames,
  context: RefContext,
): { skipped?: SkippedTemplate } {
  const used = placeholdersIn(template, 'tag');
  const unknown = used.find((name) => !isPlaceholder(name));
  if (unknown !== undefined) {
    throw new TagError(
      `tag template ${quoted(template)} uses unknown placeholder {${unknown}}; known: ${knownPlaceholders()}`,
    );
  }
  for (const name of used) {
    if (!isPlaceholder(name) || values[name] !== undefined) continue;
    if (name === 'ref') throw new TagError(detachedHeadMessage(context));
    return { skipped: { template, placeholder: name } };
  }
  const version = releaseVersion(names);
  const reason = version === undefined ? undefined : versionPartSkip(version, used);
  const part = used.find((name) => name === 'major' || name === 'minor' || name === 'patch');
  if (reason !== undefined && part !== undefined) return { skipped: { template, placeholder: part, reason } };
  return {};
}

/** Renders the `tag` templates. Unknown placeholders and an unresolvable `{ref}` are errors. */
export function renderTags(templates: readonly string[], context: RefContext, now: Date): RenderedTags {
  const names = refNames(context);
  const values = placeholderValues(context, names, now);
  const tags: ResolvedTag[] = [];
  const skipped: SkippedTemplate[] = [];
  for (const template of templates) {
    const stop = templateValues(template, values, names, context).skipped;
    if (stop !== undefined) {
      skipped.push(stop);
      continue;
    }
    const rendered = replacePlaceholders(template, 'tag', (name) => values[name as Placeholder] ?? '');
    const moves = templateMotion(placeholdersIn(template, 'tag'), names);
    tags.push({
      tag: sanitizeTag(rendered),
      source: rendered,
      rule: templateRule(template, names),
      ...(moves === undefined ? {} : { moves }),
    });
  }
  return { tags, skipped };
}
