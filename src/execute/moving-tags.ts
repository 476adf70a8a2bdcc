// Tags that move from image to image (TagMotion): `latest`, `1`, `1.2` follow versions, a branch's
// tag follows the branch. Neither ever moves back; what they hold now decides before the build.
import type { CommitAncestry } from '../context/ancestry.js';
import type { ExistingImage } from './collisions.js';
import { REVISION_LABEL, SOURCE_REF_LABEL, VERSION_LABEL } from '../tags/labels.js';
import type { TagMotion } from '../tags/tags.js';
import { parseVersion } from '../tags/version.js';
import compare from 'semver/functions/compare.js';

/**
 * `move`: push over the tag, the collision rules aside (an older release's image); `keep`: leave
 * the tag as it is and push nothing there. Undefined: the tag collision rules decide, as for an
 * exact tag.
 */
export type MoveVerdict = { action: 'move'; info: string } | { action: 'keep'; notice: string } | undefined;

/**
 * A release's moving tag holds another release's image: it moves to a newer version (by the
 * `org.opencontainers.image.version` labels, compared as semantic versions) and stays on a newer
 * one; the same version, or an image without a version, is left to the collision rules.
 */
export function judgeRelease(
  reference: string,
  existing: Record<string, string>,
  ours: Record<string, string>,
): MoveVerdict {
  const theirText = existing[VERSION_LABEL];
  const ourText = ours[VERSION_LABEL];
  const theirs = theirText === undefined ? undefined : parseVersion(theirText);
  const mine = ourText === undefined ? undefined : parseVersion(ourText);
  if (theirs === undefined || mine === undefined || existing[SOURCE_REF_LABEL] === ours[SOURCE_REF_LABEL]) {
    return undefined;
  }
  const order = compare(mine, theirs);
  if (order > 0)
    return { action: 'move', info: `${reference} moves from version ${theirText} to ${ourText}.` };
  if (order < 0) {
    return {
      action: 'keep',
      notice: `${reference} stays at version ${theirText}: it is newer than this release (${ourText}), and a moving tag never goes back to an older version. This run's other tags are pushed.`,
    };
  }
  return undefined;
}

/** The two commits to compare when a branch's tag holds an image of another commit of the same ref. */
export function branchCommits(
  existing: Record<string, string>,
  ours: Record<string, string>,
): { theirs: string; mine: string } | undefined {
  const theirs = existing[REVISION_LABEL];
  const mine = ours[REVISION_LABEL];
  const sameRef =
    existing[SOURCE_REF_LABEL] !== undefined && existing[SOURCE_REF_LABEL] === ours[SOURCE_REF_LABEL];
  if (!sameRef || theirs === undefined || mine === undefined || theirs === mine) return undefined;
  return { theirs, mine };
}

const short = (sha: string): string => sha.slice(0, 7);

/**
 * A branch's tag holds an image of another commit of the branch: it stays when that commit already
 * contains this run's (a re-run of an older commit), and moves otherwise. When the history cannot
 * tell, it moves as it always did, and the log says so.
 */
export async function judgeBranch(
  reference: string,
  existing: Record<string, string>,
  ours: Record<string, string>,
  ancestry: CommitAncestry,
): Promise<{ verdict: MoveVerdict; note?: string }> {
  const commits = branchCommits(existing, ours);
  if (commits === undefined) return { verdict: undefined };
  const { theirs, mine } = commits;
  const answer = await ancestry(theirs, mine);
  if (answer.contains === undefined) {
    return {
      verdict: undefined,
      note: `Could not tell whether ${short(theirs)}, which ${reference} holds, already contains this run's commit ${short(mine)} (${answer.unknown}); pushing over it as before.`,
    };
  }
  if (!answer.contains) return { verdict: undefined };
  return {
    verdict: {
      action: 'keep',
      notice: `${reference} stays at ${short(theirs)}: that commit already contains this run's ${short(mine)} (${answer.how}), so this run is of an older commit and the tag never moves back. Built and tested; its exact tags are pushed.`,
    },
  };
}

/** What a moving tag does, given what it holds now; undefined for an exact tag or no image. */
export async function judgeMove(
  reference: string,
  moves: TagMotion | undefined,
  existing: ExistingImage | undefined,
  ours: Record<string, string>,
  ancestry: CommitAncestry | undefined,
): Promise<{ verdict: MoveVerdict; note?: string }> {
  if (moves === undefined || existing?.labels === undefined) return { verdict: undefined };
  if (moves === 'release') return { verdict: judgeRelease(reference, existing.labels, ours) };
  if (ancestry === undefined) return { verdict: undefined };
  return judgeBranch(reference, existing.labels, ours, ancestry);
}
