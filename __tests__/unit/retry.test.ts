import fc from 'fast-check';
import { backoffDelay, PUSH_RETRY_DELAYS } from '../../src/execute/retry.js';

const policy = { retries: 5, baseDelayMs: 1000, maxDelayMs: 8000 };

describe('backoffDelay', () => {
  it.each([
    [1, 0, 500],
    [1, 0.999999, 1000],
    [2, 0, 1000],
    [3, 0.5, 3000],
    [4, 0, 4000],
    [5, 0, 4000],
    [9, 0.999999, 8000],
  ])('retry %i with random %f waits %i ms', (retry, random, delay) => {
    expect(backoffDelay(retry, policy, () => random)).toBe(delay);
  });

  it('stays within [step/2, step] of a doubling step capped at the maximum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, random) => {
          const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
          const delay = backoffDelay(retry, policy, () => random);
          expect(delay).toBeGreaterThanOrEqual(step / 2);
          expect(delay).toBeLessThanOrEqual(step);
        },
      ),
    );
  });

  it('the real delays keep three retries under a minute', () => {
    const worst = [1, 2, 3].reduce(
      (sum, retry) => sum + backoffDelay(retry, { retries: 3, ...PUSH_RETRY_DELAYS }, () => 0.999999),
      0,
    );
    expect(worst).toBeLessThan(60_000);
  });
});
