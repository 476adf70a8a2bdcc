import { createHash } from 'node:crypto';
import type { RefContext } from './context.js';

/** Docker's tag grammar. */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
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

/**
 * Pull requests tag as `pr-<number>` whatever is checked out (a fork's `main` must never become
 * `image:main`); otherwise git's branch, as the article's script does; a detached HEAD falls back
 * to the runner's ref.
 */
export function refNames(context: RefContext): RefNames {
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

/** The values a tag template may use; undefined where the run has none. */
export function placeholderValues(context: RefContext, names: RefNames): Record<string, string | undefined> {
  const sha = context.sha || undefined;
  return {
    ref: names.ref,
    branch: names.branch,
    sha,
    'short-sha': sha?.slice(0, 7),
  };
}

function detachedHeadMessage(context: RefContext): string {
  return (
    `HEAD is detached and the run names no branch or tag (event "${context.eventName}", ref ${quoted(context.ref)}), ` +
    'so {ref} has no value. Check out a branch (actions/checkout with `ref: <branch>`), ' +
    'or set the `tag` input to a template that does not need one, e.g. `{short-sha}`.'
  );
}

export interface RenderedTags {
  /** Sanitised, valid, without duplicates, in template order. */
  tags: string[];
  /** Templates skipped because a placeholder has no value on this run. */
  skipped: { template: string; placeholder: string }[];
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Renders the `tag` templates. Unknown placeholders and an unresolvable `{ref}` are errors. */
export function renderTags(templates: readonly string[], context: RefContext): RenderedTags {
  const values = placeholderValues(context, refNames(context));
  const tags: string[] = [];
  const skipped: RenderedTags['skipped'] = [];
  for (const template of templates) {
    let missing: string | undefined;
    const rendered = template.replace(PLACEHOLDER, (_match, name: string) => {
      if (!Object.hasOwn(values, name)) {
        const known = Object.keys(values)
          .map((key) => `{${key}}`)
          .join(', ');
        throw new TagError(
          `tag template ${quoted(template)} uses unknown placeholder {${name}}; known: ${known}`,
        );
      }
      const value = values[name];
      if (value === undefined) {
        if (name === 'ref') throw new TagError(detachedHeadMessage(context));
        missing ??= name;
        return '';
      }
      return value;
    });
    if (missing !== undefined) {
      skipped.push({ template, placeholder: missing });
      continue;
    }
    const tag = sanitizeTag(rendered);
    if (!tags.includes(tag)) tags.push(tag);
  }
  return { tags, skipped };
}
