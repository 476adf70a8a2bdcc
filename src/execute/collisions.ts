import { REVISION_LABEL, SOURCE_REF_LABEL } from '../tags/labels.js';
import type { CollisionPolicy } from '../tags/fork-rules.js';

/** What the registry holds at a tag before the push. */
export interface ExistingImage {
  digest: string;
  /** The image's labels; undefined when they could not be read. */
  labels: Record<string, string> | undefined;
}

export type CollisionVerdict =
  { action: 'push'; notice?: string; warning?: string; info?: string } | { action: 'fail'; message: string };

const FORK_RULE =
  'a pull request from a fork never pushes over a tag that holds another ref’s image, or an image it cannot check, whatever `on-collision` says';

/**
 * A tag whose owner cannot be told (unreadable tag, unreadable labels): `fail` and fork pull
 * requests do not push over it; `warn` and `overwrite` push with a warning.
 */
function unchecked(reference: string, why: string, policy: CollisionPolicy): CollisionVerdict {
  switch (policy) {
    case 'fail':
      return {
        action: 'fail',
        message: `${reference}: ${why}, so the tag collision check cannot tell whose image the tag holds. Nothing was pushed: with \`on-collision: fail\` such a tag is not pushed over. Make the tag readable with this job's login, or set \`on-collision\` to warn to push without the check.`,
      };
    case 'fork-pull-request':
      return {
        action: 'fail',
        message: `${reference}: ${why}, so the tag collision check cannot tell whose image the tag holds. Nothing was pushed: ${FORK_RULE}.`,
      };
    case 'warn':
    case 'overwrite':
      return {
        action: 'push',
        warning: `${reference}: ${why}; pushing without the tag collision check (on-collision: ${policy}).`,
      };
  }
}

/** What to do when the tag could not be read at all (no permission, registry down). */
export function judgeUnreadable(
  reference: string,
  problem: string,
  policy: CollisionPolicy,
): CollisionVerdict {
  return unchecked(reference, `could not read what the tag holds now (${problem})`, policy);
}

/**
 * Decides whether pushing over `reference` is safe. Another ref's image is a collision unless it
 * was built from the same commit (then its content is ours anyway); an image without the label
 * predates this action and is overwritten with a notice. A fork's pull request gets none of these
 * exceptions: on pull_request_target the commit is the base branch's, not the one built.
 */
export function judgeCollision(
  reference: string,
  existing: ExistingImage | undefined,
  ours: Record<string, string>,
  policy: CollisionPolicy,
): CollisionVerdict {
  if (existing === undefined) return { action: 'push' };
  if (existing.labels === undefined) {
    return unchecked(reference, `it exists (${existing.digest}), but its labels could not be read`, policy);
  }
  const theirs = existing.labels[SOURCE_REF_LABEL];
  const mine = ours[SOURCE_REF_LABEL];
  if (theirs === undefined) {
    if (policy === 'fork-pull-request') {
      return {
        action: 'fail',
        message: `${reference} exists without a ${SOURCE_REF_LABEL} label, so its ref cannot be told. Nothing was pushed: ${FORK_RULE}.`,
      };
    }
    return {
      action: 'push',
      notice: `${reference} exists without a ${SOURCE_REF_LABEL} label (pushed before this action was used); overwriting it.`,
    };
  }
  if (theirs === mine) return { action: 'push' };
  const sameCommit =
    existing.labels[REVISION_LABEL] !== undefined && existing.labels[REVISION_LABEL] === ours[REVISION_LABEL];
  if (sameCommit && policy !== 'fork-pull-request') return { action: 'push' };
  const clash = `${reference} was built from ${JSON.stringify(theirs)}, this run is ${JSON.stringify(mine ?? '(no ref)')}: both give the same tag`;
  switch (policy) {
    case 'fail':
      return {
        action: 'fail',
        message: `Tag collision: ${clash}. Nothing was pushed. Rename one of the refs, add a tag template that tells them apart, or set \`on-collision\` to warn or overwrite.`,
      };
    case 'fork-pull-request':
      return { action: 'fail', message: `Tag collision: ${clash}. Nothing was pushed: ${FORK_RULE}.` };
    case 'warn':
      return { action: 'push', warning: `Tag collision: ${clash}; overwriting it (on-collision: warn).` };
    case 'overwrite':
      return { action: 'push', info: `${clash}; overwriting it (on-collision: overwrite).` };
  }
}
