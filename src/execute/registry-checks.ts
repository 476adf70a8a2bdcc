// What the executor does with the registry reads of the plan: lookups before the build (tag
// collisions) and read-backs after the pushes (digests).
import { type CollisionVerdict, judgeCollision, judgeUnreadable } from './collisions.js';
import type { ImageContent } from '../docker/image-content.js';
import type { FoundTag, RemoteRead } from '../registry/registry-reader.js';
import { StepError } from '../shared/errors.js';
import type { Step } from '../plan/plan.js';
import type { MoveVerdict } from './moving-tags.js';

export interface CheckLog {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
}

/** Stops the step on a `fail` verdict; logs the others. */
function apply(verdict: CollisionVerdict, log: CheckLog): void {
  if (verdict.action === 'fail') throw new StepError(verdict.message, 1);
  if (verdict.notice !== undefined) log.notice(verdict.notice);
  if (verdict.warning !== undefined) log.warning(verdict.warning);
  if (verdict.info !== undefined) log.info(verdict.info);
}

/**
 * Applies the collision policy to what a tag holds now (a tag that cannot be read included: see
 * judgeUnreadable), unless `move` (see judgeMove) already decided for a moving tag. Returns the
 * image the tag holds, when there is one.
 */
export function checkLookup(
  step: Step & { kind: 'lookup' },
  read: RemoteRead,
  log: CheckLog,
  move?: MoveVerdict,
): FoundTag | undefined {
  if (read.kind === 'unknown') {
    apply(judgeUnreadable(step.reference, read.reason, step.policy), log);
    return undefined;
  }
  const found = read.kind === 'found' ? read : undefined;
  if (move?.action === 'keep') log.notice(move.notice);
  else if (move?.action === 'move') log.info(move.info);
  else apply(judgeCollision(step.reference, found, step.labels, step.policy), log);
  return found;
}

/**
 * The one content (layers and config, cache metadata aside) every reference holds under one
 * manifest digest, when the registry was read in-process; undefined otherwise.
 */
export function contentInRegistry(
  references: readonly string[],
  existing: ReadonlyMap<string, FoundTag>,
): ImageContent | undefined {
  const held = references.map((reference) => existing.get(reference));
  const digests = new Set(held.map((image) => image?.digest));
  const contents = new Set(held.map((image) => image?.content));
  if (references.length === 0 || digests.size !== 1 || contents.size !== 1) return undefined;
  return held[0]?.content;
}

/** Why a push would change nothing: the registry holds the built image, or the same content. */
export interface Unchanged {
  /** The digest each reference holds. */
  digests: Map<string, string>;
  /** 'image': the very image built; 'content': its layers and config, with other cache metadata. */
  match: 'image' | 'content';
}

/**
 * The digest each reference already holds when a push would change nothing: every one of them
 * holds the built image under one manifest digest. The image id is the config digest with docker's
 * own image store, the manifest's (or index's) digest with the containerd image store. Failing
 * that, every one of them holds an image of the same content as `localContent` (the built image's,
 * see image-content.ts): a push would upload only a config whose inline-cache record differs,
 * while the registry's image carries a valid one for the same layers. All or none, so the tags of
 * one build keep one digest. Undefined otherwise.
 */
export function unchangedInRegistry(
  references: readonly string[],
  existing: ReadonlyMap<string, FoundTag>,
  imageId: string | undefined,
  localContent?: ImageContent,
): Unchanged | undefined {
  if (imageId === undefined || references.length === 0) return undefined;
  const held = references.map((reference) => existing.get(reference));
  const digests = new Set(held.map((image) => image?.digest));
  const isBuilt = (image: FoundTag | undefined): boolean =>
    image?.configDigest === imageId || image?.digest === imageId;
  const sameImage = digests.size === 1 && held.every(isBuilt);
  const sameContent = localContent !== undefined && contentInRegistry(references, existing) === localContent;
  if (!sameImage && !sameContent) return undefined;
  return {
    digests: new Map(references.map((reference, index) => [reference, held[index]?.digest ?? ''])),
    match: sameImage ? 'image' : 'content',
  };
}

/** All tags of one build must have been pushed as one manifest. */
export function checkPushedDigestsAgree(digests: ReadonlyMap<string, string>): void {
  if (new Set(digests.values()).size > 1) {
    const listing = [...digests].map(([reference, digest]) => `${reference}: ${digest}`);
    throw new StepError(`The pushed tags of one build report different digests:\n${listing.join('\n')}`, 1);
  }
}

/** The registry must hold, at the tag, the digest the push reported. */
export function checkVerify(
  step: Step & { kind: 'verify' },
  read: RemoteRead,
  digests: ReadonlyMap<string, string>,
): void {
  const pushed = digests.get(step.reference);
  if (read.kind === 'unknown') {
    throw new StepError(`Could not read back ${step.reference} from the registry: ${read.reason}`, 1);
  }
  const held = read.kind === 'found' ? read.digest : 'no such tag';
  if (held !== pushed) {
    throw new StepError(
      `The registry holds ${held} for ${step.reference}, but the push reported ${pushed ?? 'nothing'}: another push may have overwritten it.`,
      1,
    );
  }
}
