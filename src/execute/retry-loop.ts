// One command tried again while it fails with a transient error: `docker push`, a build that buildx
// pushes itself, a merge job's `imagetools create`; the same backoff and messages for each.
import type { CommandResult } from '../shared/command.js';
import { classifyPushFailure, type PushFailure } from './push-errors.js';
import { backoffDelay, type RetryPolicy, type Sleep } from './retry.js';

export interface PushRetries {
  policy: RetryPolicy;
  sleep: Sleep;
  /** [0, 1); the jitter of the backoff. */
  random: () => number;
  /** Where each retry and its cause is reported. */
  info(message: string): void;
}

export type RetryOutcome<T> =
  | { done: true; value: T; attempts: number }
  | { done: false; failure: PushFailure; attempts: number; result: CommandResult };

export interface Attempts<T> {
  /** What is tried, for the retry messages: `Push of host/app:main`. */
  what: string;
  run: () => Promise<CommandResult>;
  /** The value of an attempt that succeeded; undefined: it failed. */
  succeeded: (result: CommandResult) => T | undefined;
  /** The attempt's deadline, named when it ran past it. */
  timeoutSeconds: number | undefined;
  /** Why it failed; a failure that is not transient is not retried. */
  classify?: (result: CommandResult, timedOutAfter: number | undefined) => PushFailure;
  /** Said with each retry, after the delay (what a retry costs). */
  retryNote?: string;
}

function classifyResult(result: CommandResult, timedOutAfter: number | undefined): PushFailure {
  return classifyPushFailure(result.tail, result.exitCode, timedOutAfter);
}

/** Runs `attempts.run` until it succeeds, fails for good, or has been tried `retries + 1` times. */
export async function withRetries<T>(attempts: Attempts<T>, retries: PushRetries): Promise<RetryOutcome<T>> {
  const total = retries.policy.retries + 1;
  const classify = attempts.classify ?? classifyResult;
  for (let number = 1; ; number++) {
    const result = await attempts.run();
    const value = attempts.succeeded(result);
    if (value !== undefined) return { done: true, value, attempts: number };
    const failure = classify(result, result.timedOut === true ? attempts.timeoutSeconds : undefined);
    if (!failure.transient || number === total) return { done: false, failure, attempts: number, result };
    const delay = backoffDelay(number, retries.policy, retries.random);
    const note = attempts.retryNote === undefined ? '' : ` ${attempts.retryNote}`;
    retries.info(
      `${attempts.what} failed (attempt ${number} of ${total}): ${failure.cause}. Retrying in ${(delay / 1000).toFixed(1)} s.${note}`,
    );
    await retries.sleep(delay);
  }
}

/** ` after 3 attempts`, and why a failure that a retry cannot fix was not retried. */
export function attemptsNote(outcome: { failure: PushFailure; attempts: number }): string {
  const tries = outcome.attempts === 1 ? '' : ` after ${outcome.attempts} attempts`;
  return outcome.failure.transient ? tries : `${tries} (not retried: a retry cannot fix this)`;
}
