import { runsBeside } from '../../src/execute/beside.js';
import { execute } from '../../src/execute/executor.js';
import { makePlan, type Step } from '../../src/plan/plan.js';
import type { SizeLimit } from '../../src/inputs/size-limit.js';
import { FakeReader, FakeRunner, recordingLog, result, settings } from './helpers.js';

const FEATURE = 'ghcr.io/acme/app:feature';
const MAIN = 'ghcr.io/acme/app:main';

function plan(references: string[], limit?: SizeLimit): Step[] {
  return makePlan({
    settings: settings(limit === undefined ? {} : { maxSizeIncrease: limit }),
    engine: { buildx: true, serverVersion: '28.5.0' },
    references,
    labels: {},
    jobDir: '/job',
    dockerConfig: undefined,
    testContainer: 'build-test-push-in-image-1',
    defaultImage: MAIN,
  });
}

const sizeCheck = (steps: Step[]) => steps.find((step) => step.kind === 'size-check');

describe('runsBeside', () => {
  it.each<[string, string[], SizeLimit | undefined, boolean]>([
    ['no max-size-increase: beside the pushes', [FEATURE], undefined, true],
    ['max-size-increase: before any push, to stop it', [FEATURE], { kind: 'percent', percent: 10 }, false],
    ["a push moves the default branch's tag it reads: before it", [MAIN], undefined, false],
  ])('%s', (_label, references, limit, beside) => {
    const steps = plan(references, limit);
    const check = sizeCheck(steps);
    if (check === undefined) throw new Error('no size check planned');
    expect(runsBeside(check, steps)).toBe(beside);
  });

  it('no other step runs beside', () => {
    const steps = plan([FEATURE]);
    expect(steps.filter((step) => runsBeside(step, steps)).map((step) => step.kind)).toEqual(['size-check']);
  });
});

describe('a size check without a limit runs beside the push', () => {
  it('the push starts while the size check still waits for docker; its log follows, grouped', async () => {
    const steps = plan([FEATURE]).filter((step) => step.kind === 'size-check' || step.kind === 'push');
    let pushStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (pushStarted = resolve));
    // Sequential steps would wait here for ever: the history answers only once the push has begun.
    const runner = new FakeRunner(
      async () => {
        await started;
        return result(1, []);
      },
      result(1, []),
      () => {
        pushStarted();
        return result(0, [`feature: digest: sha256:${'a'.repeat(64)} size: 527`]);
      },
    );
    const log = recordingLog();
    await execute(steps, runner, log, undefined, undefined, {
      retries: 0,
      reader: new FakeReader({ kind: 'missing' }),
    });
    expect(runner.commands.map((command) => command.args[0])).toEqual(['history', 'image', 'push']);
    expect(log.titles).toEqual([`Push ${FEATURE}`, `Compare the image's size with ${MAIN}`]);
    expect(log.infos.at(-1)).toMatch(/^No size comparison: /);
  });
});
