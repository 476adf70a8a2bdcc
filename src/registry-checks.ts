// What the executor does with the registry reads of the plan: lookups before the build (tag
// collisions) and read-backs after the pushes (digests).
import { judgeCollision } from './collisions.js';
import { parseRemoteImage } from './docker.js';
import { errorMessage, StepError } from './errors.js';
import type { Step } from './plan.js';
import type { CommandResult } from './runner.js';

export interface CheckLog {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
}

/**
 * Applies `on-collision` to what a tag holds now; a tag that cannot be read only warns. `labels`
 * are the existing image's, read separately when the lookup itself cannot show them (no buildx).
 */
export function checkLookup(
  step: Step & { kind: 'lookup' },
  result: CommandResult,
  log: CheckLog,
  labels?: Record<string, string>,
): void {
  let existing;
  try {
    existing = parseRemoteImage(result.stdout, result.exitCode, result.tail, step.buildx);
  } catch (error) {
    log.warning(
      `Could not read what ${step.reference} holds now (${errorMessage(error)}); pushing without the tag collision check.`,
    );
    return;
  }
  const verdict = judgeCollision(
    step.reference,
    existing.found ? { digest: existing.digest, labels: existing.labels ?? labels } : undefined,
    step.labels,
    step.policy,
  );
  if (verdict.action === 'fail') throw new StepError(verdict.message, 1, result.tail);
  if (verdict.notice !== undefined) log.notice(verdict.notice);
  if (verdict.warning !== undefined) log.warning(verdict.warning);
  if (verdict.info !== undefined) log.info(verdict.info);
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
  result: CommandResult,
  digests: ReadonlyMap<string, string>,
): void {
  const pushed = digests.get(step.reference);
  let remote;
  try {
    remote = parseRemoteImage(result.stdout, result.exitCode, result.tail, step.buildx);
  } catch (error) {
    throw new StepError(
      `Could not read back ${step.reference} from the registry: ${errorMessage(error)}`,
      result.exitCode,
      result.tail,
    );
  }
  const held = remote.found ? remote.digest : 'no such tag';
  if (held !== pushed) {
    throw new StepError(
      `The registry holds ${held} for ${step.reference}, but the push reported ${pushed ?? 'nothing'}: another push may have overwritten it.`,
      1,
      result.tail,
    );
  }
}
