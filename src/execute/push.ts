import { isAuthRefusal, parsePushDigest } from '../docker/push-output.js';
import { StepError } from '../shared/errors.js';
import type { Step } from '../plan/plan.js';
import { classifyPushFailure, type PushFailure } from './push-errors.js';
import { backoffDelay, type RetryPolicy, type Sleep } from './retry.js';
import type { CommandResult } from '../shared/command.js';
import { type RunRecord } from '../record/run-record.js';

export interface PushRetries {
  policy: RetryPolicy;
  sleep: Sleep;
  /** [0, 1); the jitter of the backoff. */
  random: () => number;
  /** Where each retry and its cause is reported. */
  info(message: string): void;
}

export type PushOutcome =
  | { pushed: true; digest: string; attempts: number }
  | { pushed: false; failure: PushFailure; attempts: number; result: CommandResult };

/**
 * Pushes one reference (`attempt` runs `step.command` once), retrying transient failures with backoff. A push counts as done only when
 * docker printed the tag's digest: that line comes after the manifest PUT, which is what creates
 * the tag, so a push stopped earlier never leaves a half-pushed tag.
 */
export async function pushWithRetries(
  step: Step & { kind: 'push' },
  attempt: () => Promise<CommandResult>,
  retries: PushRetries,
): Promise<PushOutcome> {
  const tag = step.reference.slice(step.reference.lastIndexOf(':') + 1);
  const total = retries.policy.retries + 1;
  for (let number = 1; ; number++) {
    const result = await attempt();
    const digest = result.exitCode === 0 ? parsePushDigest(result.tail, tag) : undefined;
    if (digest !== undefined) return { pushed: true, digest, attempts: number };
    const failure = classifyPushFailure(
      result.tail,
      result.exitCode,
      result.timedOut === true ? step.command.timeoutSeconds : undefined,
    );
    if (!failure.transient || number === total) return { pushed: false, failure, attempts: number, result };
    const delay = backoffDelay(number, retries.policy, retries.random);
    retries.info(
      `Push of ${step.reference} failed (attempt ${number} of ${total}): ${failure.cause}. Retrying in ${(delay / 1000).toFixed(1)} s.`,
    );
    await retries.sleep(delay);
  }
}

function loginAdvice(step: Step & { kind: 'push' }): string {
  if (step.loggedIn) {
    return `${step.registry} refused the credentials given in \`username\`/\`password\`: check that they may push to this repository.`;
  }
  return (
    `${step.registry} needs a login: this step has no credentials for it. Log in to ${step.registry} in an ` +
    'earlier step (e.g. docker/login-action), or name it in `registry` with `username` and `password`.'
  );
}

function pushedSoFar(record: RunRecord, all: Step[]): string {
  const pushed = [...record.digests.keys()];
  const notPushed = all.flatMap((s) =>
    s.kind === 'push' && !record.digests.has(s.reference) ? [s.reference] : [],
  );
  return `Pushed: ${pushed.length > 0 ? pushed.join(', ') : 'nothing'}\nNot pushed: ${notPushed.length > 0 ? notPushed.join(', ') : 'nothing'}`;
}

/**
 * Pushes one reference through `pushWithRetries`, records its digest, or throws a StepError that
 * says what was and was not pushed, and how to fix a refused login.
 */
export async function pushReference(
  step: Step & { kind: 'push' },
  attempt: () => Promise<CommandResult>,
  retries: PushRetries,
  record: RunRecord,
  plan: Step[],
): Promise<void> {
  const outcome = await pushWithRetries(step, attempt, retries);
  if (outcome.pushed) {
    record.digests.set(step.reference, outcome.digest);
    return;
  }
  const tries = outcome.attempts === 1 ? '' : ` after ${outcome.attempts} attempts`;
  const why = outcome.failure.transient ? tries : `${tries} (not retried: a retry cannot fix this)`;
  const advice = isAuthRefusal(outcome.result.tail) ? `${loginAdvice(step)}\n` : '';
  throw new StepError(
    `Push of ${step.reference} failed${why}: ${outcome.failure.cause}\n${advice}${pushedSoFar(record, plan)}`,
    outcome.result.exitCode,
    outcome.result.tail,
  );
}
