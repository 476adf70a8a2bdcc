import { createHash } from 'node:crypto';
import type { RefContext } from '../context/ref-context.js';
import { builtCommit, refNames } from './tags.js';

const OCI = 'org.opencontainers.image';

export const REVISION_LABEL = 'org.opencontainers.image.revision';
/** The release's version (or the first tag): moving release tags compare it. */
export const VERSION_LABEL = 'org.opencontainers.image.version';
/** The base image's reference, as the built stage's FROM names it (OCI annotation key). */
export const BASE_NAME_LABEL = 'org.opencontainers.image.base.name';
/** The digest that reference resolved to in its registry when the image was built (an index's own). */
export const BASE_DIGEST_LABEL = 'org.opencontainers.image.base.digest';
/** When the image was made, as the action records it (the commit time). */
export const CREATED_LABEL = 'org.opencontainers.image.created';
/**
 * The git ref an image was built from, in the action's own namespace (the OCI `ref.name` key means
 * the tag). Tag collisions are told apart by it.
 */
export const SOURCE_REF_LABEL = 'build-test-push-action.source-ref';

/**
 * One SHA-256 of the `build-args` the image was built with (names and values together), so that a
 * later run can tell that they changed without any value being written down.
 */
export const BUILD_ARGS_LABEL = 'build-test-push-action.build-args';

/**
 * The digest of `KEY=VALUE` build arguments as the builder takes them: a repeated key keeps its last
 * value, and their order does not matter. The same for no arguments at all, so that a cache image
 * without the label is one built before the label existed, not one built without arguments.
 */
export function buildArgsDigest(args: readonly string[]): string {
  const values = new Map(args.map((arg) => [arg.split('=', 1)[0] ?? '', arg]));
  const canonical = [...values.keys()]
    .sort()
    .map((key) => values.get(key))
    .join('\n');
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/**
 * The full ref `{ref}` was taken from: refs/heads/<git branch>, refs/tags/<tag>, or
 * refs/pull/<number>/merge on every pull-request event (on pull_request_target the runner's ref is
 * the base branch's, which must never label a pull request's image); the runner's ref when nothing
 * names one.
 */
export function sourceRef(context: RefContext): string | undefined {
  const names = refNames(context);
  switch (names.refSource) {
    case 'branch':
      return `refs/heads/${names.ref ?? ''}`;
    case 'tag':
      return `refs/tags/${names.ref ?? ''}`;
    case 'pull request':
      return context.pullRequest === undefined ? undefined : `refs/pull/${context.pullRequest.number}/merge`;
    case undefined:
      return context.ref || undefined;
  }
}

/**
 * The standard OCI labels, then the `labels` input, which adds or replaces, then the source ref,
 * which the input cannot replace (tag collisions are judged by it). `.created` is the commit
 * time, not the wall clock, so that building one commit twice gives the same labels. `.revision`
 * is a pull request's head commit (see builtCommit); `.version` the release's version without `v`
 * (moving tags compare it), else the first tag. A label whose value the run does not know (no
 * description, no license GitHub could name) is left out.
 */
export function imageLabels(
  context: RefContext,
  version: string | undefined,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const standard: [string, string | undefined][] = [
    [`${OCI}.title`, context.repository?.split('/').pop()],
    [`${OCI}.url`, context.repositoryUrl],
    [`${OCI}.source`, context.repositoryUrl],
    [`${OCI}.description`, context.repositoryMetadata.description],
    [`${OCI}.licenses`, context.repositoryMetadata.license],
    [`${OCI}.revision`, builtCommit(context)],
    [`${OCI}.created`, context.commitTime],
    [VERSION_LABEL, version],
  ];
  const known = standard.filter((entry): entry is [string, string] => Boolean(entry[1]));
  const ref = sourceRef(context);
  return {
    ...Object.fromEntries(known),
    ...extra,
    ...(ref === undefined ? {} : { [SOURCE_REF_LABEL]: ref }),
  };
}

/** The base image labels: none for `FROM scratch`, the name alone when the digest could not be read. */
export function baseLabels(
  base: { name: string; digest: string | undefined } | undefined,
): Record<string, string> {
  if (base === undefined) return {};
  return {
    [BASE_NAME_LABEL]: base.name,
    ...(base.digest === undefined ? {} : { [BASE_DIGEST_LABEL]: base.digest }),
  };
}
