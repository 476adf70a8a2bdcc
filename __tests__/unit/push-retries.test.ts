import { makePlan, type Step } from '../../src/plan/plan.js';
import { pushWithRetries } from '../../src/execute/push.js';
import { dockerLines, FakeRunner, result, settings } from './helpers.js';

const REFERENCE = 'localhost:5000/team/app:main';
const pushStep = makePlan({
  settings: settings({ images: ['localhost:5000/team/app'], pushTimeoutSeconds: 30 }),
  engine: { buildx: true, serverVersion: '27.0.0' },
  references: [REFERENCE],
  labels: {},
  jobDir: '/tmp/job',
  dockerConfig: undefined,
  testContainer: 'bpa-test',
}).find((step): step is Step & { kind: 'push' } => step.kind === 'push');
if (pushStep === undefined) throw new Error('the plan has no push step');
const step: Step & { kind: 'push' } = pushStep;

const ok = result(0, ['main: digest: sha256:' + 'a'.repeat(64) + ' size: 527']);
const failed503 = result(1, dockerLines('push-manifest-503.txt'));
const reset = result(1, dockerLines('push-manifest-reset.txt'));
const stalled = { ...result(143, dockerLines('push-manifest-stalled.txt')), timedOut: true };
const unauthorized = result(1, dockerLines('push-manifest-401.txt'));

async function push(retries: number, ...answers: ReturnType<typeof result>[]) {
  const runner = new FakeRunner(...answers);
  const slept: number[] = [];
  const logged: string[] = [];
  const outcome = await pushWithRetries(step, () => runner.run(step.command), {
    policy: { retries, baseDelayMs: 1000, maxDelayMs: 8000 },
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    random: () => 0,
    info: (message) => logged.push(message),
  });
  return { outcome, slept, logged, attempts: runner.commands.length };
}

describe('pushWithRetries', () => {
  it('retries transient failures with doubling waits and logs each cause', async () => {
    const { outcome, slept, logged, attempts } = await push(3, failed503, reset, stalled, ok);
    expect(outcome).toMatchObject({ pushed: true, attempts: 4, digest: `sha256:${'a'.repeat(64)}` });
    expect(attempts).toBe(4);
    expect(slept).toEqual([500, 1000, 2000]);
    expect(logged).toEqual([
      `Push of ${REFERENCE} failed (attempt 1 of 4): received unexpected HTTP status: 503 Service Unavailable. Retrying in 0.5 s.`,
      expect.stringMatching(/\(attempt 2 of 4\): Put .*connection reset by peer\. Retrying in 1\.0 s\.$/),
      `Push of ${REFERENCE} failed (attempt 3 of 4): no progress: the push was stopped after 30 s. Retrying in 2.0 s.`,
    ]);
  });

  it('gives up after `retries` retries with the last cause', async () => {
    const { outcome, slept, attempts } = await push(2, failed503, failed503, failed503, ok);
    expect(outcome).toMatchObject({
      pushed: false,
      attempts: 3,
      failure: { transient: true, cause: 'received unexpected HTTP status: 503 Service Unavailable' },
    });
    expect(attempts).toBe(3);
    expect(slept).toHaveLength(2);
  });

  it('retries 0: one attempt', async () => {
    const { outcome, attempts } = await push(0, reset, ok);
    expect(outcome.pushed).toBe(false);
    expect(attempts).toBe(1);
  });

  it('401 is not retried', async () => {
    const { outcome, slept, logged, attempts } = await push(5, unauthorized, ok);
    expect(outcome).toMatchObject({
      pushed: false,
      attempts: 1,
      failure: { transient: false, cause: 'unauthorized: authentication required (injected)' },
    });
    expect([attempts, slept, logged]).toEqual([1, [], []]);
  });

  it('a permanent failure after a transient one stops there', async () => {
    const { outcome, attempts } = await push(5, failed503, unauthorized, ok);
    expect(outcome).toMatchObject({ pushed: false, attempts: 2, failure: { transient: false } });
    expect(attempts).toBe(2);
  });

  it('every attempt runs the same command, with the per-attempt timeout', async () => {
    const runner = new FakeRunner(reset, ok);
    await pushWithRetries(step, () => runner.run(step.command), {
      policy: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 },
      sleep: () => Promise.resolve(),
      random: () => 0,
      info: () => undefined,
    });
    expect(runner.commands).toEqual([step.command, step.command]);
    expect(runner.commands[0]?.timeoutSeconds).toBe(30);
  });
});
