// The tags under which `merge: later` jobs leave their images for the merge job: one per ref,
// commit and platform, in the image's own repository.
import { createHash } from 'node:crypto';
import type { RefContext } from '../context/ref-context.js';
import { fullReferences, type ImageNames } from './resolve-tags.js';
import { builtCommit, refNames, sanitizeTag, type ResolvedTag } from './tags.js';

const MAX_TAG_LENGTH = 128;
const SHORT_SHA = 7;

/** `linux/arm/v7` → `linux-arm-v7`. */
function platformSlug(platform: string): string {
  return platform.replace(/\//g, '-');
}

/**
 * `<ref>-<short sha>-<os>-<arch>[-<variant>]`, e.g. `main-1a2b3c4-linux-arm64`: the merge job of the
 * same ref and commit names the same tag, and two refs on one commit (a branch and a release tag
 * pushed together) never take each other's images, whose labels name their ref. A ref too long
 * for a tag is cut and ended with a hash of it, so the commit and platform always stay readable.
 */
export function platformTag(ref: string | undefined, sha: string, platform: string): string {
  const tail = `${sha.slice(0, SHORT_SHA)}-${platformSlug(platform)}`;
  if (ref === undefined) return sanitizeTag(tail);
  const head = sanitizeTag(ref);
  const room = MAX_TAG_LENGTH - tail.length - 1;
  if (head.length <= room) return `${head}-${tail}`;
  const hash = createHash('sha256').update(ref).digest('hex').slice(0, SHORT_SHA);
  return `${head.slice(0, room - SHORT_SHA - 1)}-${hash}-${tail}`;
}

/** One platform's image in one repository, as a `merge: later` job pushed it. */
export interface PlatformImage {
  platform: string;
  repository: string;
  /** `repository:tag` of the platform tag. */
  reference: string;
  /**
   * The commit the image's revision label names, as the `merge: later` job labelled it: on a pull
   * request its head commit, though the platform tag carries the merge commit both jobs check out.
   */
  revision: string;
}

/** The platform tags of `platforms` in every repository, repository by repository. */
export function platformImages(
  images: readonly string[],
  context: RefContext,
  platforms: readonly string[],
): PlatformImage[] {
  const ref = refNames(context).ref;
  const revision = builtCommit(context) ?? context.sha;
  return images.flatMap((repository) =>
    platforms.map((platform) => ({
      platform,
      repository,
      reference: `${repository}:${platformTag(ref, context.sha, platform)}`,
      revision,
    })),
  );
}

/** The platform tags as the run's tags (a `merge: later` job pushes only these). */
export function platformResolvedTags(context: RefContext, platforms: readonly string[]): ResolvedTag[] {
  const ref = refNames(context).ref;
  return platforms.map((platform) => ({
    tag: platformTag(ref, context.sha, platform),
    source: `${ref ?? 'commit'} ${context.sha.slice(0, SHORT_SHA)} ${platform}`,
    rule: 'platform',
  }));
}

/**
 * A `merge: later` job's names: only the platform tags, in every repository; the labels stay those
 * of the tags the merge job will push, since the merged index is made of these very images.
 */
export function laterNames(
  names: ImageNames,
  images: readonly string[],
  context: RefContext,
  platforms: readonly string[],
): ImageNames {
  const tags = platformResolvedTags(context, platforms);
  return { ...names, tags, references: fullReferences(images, tags) };
}
