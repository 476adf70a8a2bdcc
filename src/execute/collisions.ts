import { REVISION_LABEL, SOURCE_REF_LABEL } from '../tags/labels.js';
import type { OnCollision } from '../inputs/settings.js';

/** What the registry holds at a tag before the push. */
export interface ExistingImage {
  digest: string;
  /** The image's labels; undefined when they could not be read. */
  labels: Record<string, string> | undefined;
}

export type CollisionVerdict =
  { action: 'push'; notice?: string; warning?: string; info?: string } | { action: 'fail'; message: string };

/**
 * Decides whether pushing over `reference` is safe. Another ref's image is a collision unless it
 * was built from the same commit (then its content is ours anyway); an image without the label
 * predates this action and is overwritten with a notice.
 */
export function judgeCollision(
  reference: string,
  existing: ExistingImage | undefined,
  ours: Record<string, string>,
  policy: OnCollision,
): CollisionVerdict {
  if (existing === undefined) return { action: 'push' };
  if (existing.labels === undefined) {
    return {
      action: 'push',
      notice: `${reference} exists (${existing.digest}), but its labels could not be read, so it is overwritten unchecked.`,
    };
  }
  const theirs = existing.labels[SOURCE_REF_LABEL];
  const mine = ours[SOURCE_REF_LABEL];
  if (theirs === undefined) {
    return {
      action: 'push',
      notice: `${reference} exists without a ${SOURCE_REF_LABEL} label (pushed before this action was used); overwriting it.`,
    };
  }
  if (theirs === mine) return { action: 'push' };
  const sameCommit =
    existing.labels[REVISION_LABEL] !== undefined && existing.labels[REVISION_LABEL] === ours[REVISION_LABEL];
  if (sameCommit) return { action: 'push' };
  const clash = `${reference} was built from ${JSON.stringify(theirs)}, this run is ${JSON.stringify(mine ?? '(no ref)')}: both give the same tag`;
  switch (policy) {
    case 'fail':
      return {
        action: 'fail',
        message: `Tag collision: ${clash}. Nothing was pushed. Rename one of the refs, add a tag template that tells them apart, or set \`on-collision\` to warn or overwrite.`,
      };
    case 'warn':
      return { action: 'push', warning: `Tag collision: ${clash}; overwriting it (on-collision: warn).` };
    case 'overwrite':
      return { action: 'push', info: `${clash}; overwriting it (on-collision: overwrite).` };
  }
}
