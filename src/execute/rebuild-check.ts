// `rebuild: base-changed`: whether the image a tag holds was built on the base image the base tag
// resolves to now. Pure; main reads the registry and acts on the answer.
import { BASE_DIGEST_LABEL, BASE_NAME_LABEL, CREATED_LABEL } from '../tags/labels.js';
import type { RemoteRead } from '../registry/registry-reader.js';

/** The base as read before the build: the FROM reference and the digest it resolves to now. */
export interface CurrentBase {
  name: string;
  digest: string;
}

export type RebuildDecision =
  | {
      rebuild: false;
      /** The manifest digest the tag holds, which stays the run's digest. */
      digest: string;
      /** The image id of a single-platform image; undefined for an index. */
      imageId: string | undefined;
      /** When the image was made, from its created label; undefined when it has none. */
      since: string | undefined;
    }
  | {
      rebuild: true;
      /** Why, in one sentence for the log and the summary. */
      reason: string;
      /** The base digest the image there was built on, when it recorded one. */
      previousDigest: string | undefined;
    };

/** Compares the base recorded in what `reference` holds (`existing`) with the base now. */
export function decideRebuild(reference: string, existing: RemoteRead, base: CurrentBase): RebuildDecision {
  switch (existing.kind) {
    case 'missing':
      return { rebuild: true, reason: `${reference} is not in the registry yet`, previousDigest: undefined };
    case 'unknown':
      return {
        rebuild: true,
        reason: `what ${reference} holds could not be read (${existing.reason}), so it is rebuilt to be safe`,
        previousDigest: undefined,
      };
    case 'found':
      break;
  }
  const labels = existing.labels ?? {};
  const previousName = labels[BASE_NAME_LABEL];
  const previousDigest = labels[BASE_DIGEST_LABEL];
  if (previousDigest === undefined) {
    return {
      rebuild: true,
      reason: `${reference} records no base image digest (label ${BASE_DIGEST_LABEL})`,
      previousDigest: undefined,
    };
  }
  if (previousName !== base.name) {
    return {
      rebuild: true,
      reason: `${reference} was built on ${previousName ?? 'an unnamed base'}, the Dockerfile now names ${base.name}`,
      previousDigest,
    };
  }
  if (previousDigest !== base.digest) {
    return {
      rebuild: true,
      reason: `base ${base.name} changed from ${previousDigest} to ${base.digest}`,
      previousDigest,
    };
  }
  return {
    rebuild: false,
    digest: existing.digest,
    imageId: existing.configDigest,
    since: labels[CREATED_LABEL],
  };
}
