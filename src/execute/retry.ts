/** How a push is retried. */
export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** Delay before the first retry; each further retry doubles it. */
  baseDelayMs: number;
  /** Upper bound of one delay. */
  maxDelayMs: number;
}

export const PUSH_RETRY_DELAYS = { baseDelayMs: 2_000, maxDelayMs: 30_000 } as const;

/**
 * Exponential backoff with "equal jitter": half the doubled delay is fixed, the other half random,
 * so that jobs failing together do not retry in step yet every wait is at least half its step.
 * `retry` counts from 1; `random` returns [0, 1).
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Waiting, injectable so unit tests do not wait. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
