import { parsePushDigest } from '../docker/docker.js';
import type { Step } from '../plan/plan.js';
import { classifyPushFailure, type PushFailure } from './push-errors.js';
import { backoffDelay, type RetryPolicy, type Sleep } from './retry.js';
import type { CommandResult } from './command-runner.js';

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
