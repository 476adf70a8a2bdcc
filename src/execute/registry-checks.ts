// What the executor does with the registry reads of the plan: lookups before the build (tag
// collisions) and read-backs after the pushes (digests).
import { type CollisionVerdict, judgeCollision, judgeUnreadable } from './collisions.js';
import type { RemoteImage } from '../docker/remote-image.js';
import { StepError } from '../inputs/errors.js';
import type { Step } from '../plan/plan.js';

export interface CheckLog {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
}

/** What a read of a tag gave: the image there (or none), or why it could not be read. */
export type RemoteOutcome =
  | { image: RemoteImage; problem?: undefined; tail: string[] }
  | { image?: undefined; problem: string; tail: string[] };

/** Stops the step on a `fail` verdict; logs the others. */
function apply(verdict: CollisionVerdict, tail: string[], log: CheckLog): void {
  if (verdict.action === 'fail') throw new StepError(verdict.message, 1, tail);
  if (verdict.notice !== undefined) log.notice(verdict.notice);
  if (verdict.warning !== undefined) log.warning(verdict.warning);
  if (verdict.info !== undefined) log.info(verdict.info);
}

/**
 * Applies the collision policy to what a tag holds now (a tag that cannot be read included: see
 * judgeUnreadable). Returns the image the tag holds, when there is one.
 */
export function checkLookup(
  step: Step & { kind: 'lookup' },
  outcome: RemoteOutcome,
  log: CheckLog,
): (RemoteImage & { found: true }) | undefined {
  const existing = outcome.image;
  if (existing === undefined) {
    apply(judgeUnreadable(step.reference, outcome.problem, step.policy), outcome.tail, log);
    return undefined;
  }
  const found = existing.found ? existing : undefined;
  apply(judgeCollision(step.reference, found, step.labels, step.policy), outcome.tail, log);
  return found;
}

/**
 * The digest each reference already holds when a push would change nothing: every one of them
 * holds the built image under one manifest digest. The image id is the config digest with docker's
 * own image store, the manifest's (or index's) digest with the containerd image store. All or none,
 * so the tags of one build keep one digest. Undefined otherwise.
 */
export function unchangedInRegistry(
  references: readonly string[],
  existing: ReadonlyMap<string, RemoteImage & { found: true }>,
  imageId: string | undefined,
): Map<string, string> | undefined {
  if (imageId === undefined || references.length === 0) return undefined;
  const held = references.map((reference) => existing.get(reference));
  const digests = new Set(held.map((image) => image?.digest));
  const isBuilt = (image: (RemoteImage & { found: true }) | undefined): boolean =>
    image?.configDigest === imageId || image?.digest === imageId;
  if (digests.size !== 1 || !held.every(isBuilt)) return undefined;
  return new Map(references.map((reference, index) => [reference, held[index]?.digest ?? '']));
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
  outcome: RemoteOutcome,
  digests: ReadonlyMap<string, string>,
): void {
  const pushed = digests.get(step.reference);
  if (outcome.image === undefined) {
    throw new StepError(
      `Could not read back ${step.reference} from the registry: ${outcome.problem}`,
      1,
      outcome.tail,
    );
  }
  const held = outcome.image.found ? outcome.image.digest : 'no such tag';
  if (held !== pushed) {
    throw new StepError(
      `The registry holds ${held} for ${step.reference}, but the push reported ${pushed ?? 'nothing'}: another push may have overwritten it.`,
      1,
      outcome.tail,
    );
  }
}
