import { parseInputs } from '../../src/inputs/parse-inputs.js';
import { INPUT_NAMES, type RawInputs } from '../../src/inputs/input-names.js';
import { makePlan } from '../../src/plan/plan.js';

function buildArgs(target: string, buildx: boolean): string[] {
  const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, ''])) as RawInputs;
  const { settings } = parseInputs({ ...raw, image: 'acme/app', target }, '/work');
  const steps = makePlan({
    settings,
    engine: { buildx, serverVersion: '27.0.0' },
    references: ['acme/app:main'],
    labels: {},
    jobDir: '/tmp/job',
    dockerConfig: undefined,
    testContainer: 'build-test-push-in-image-1',
  });
  return steps.find((step) => step.kind === 'build')?.command.args ?? [];
}

describe.each([
  ['docker buildx build', true],
  ['docker build', false],
])('%s', (_name, buildx) => {
  test('passes --target before the context', () => {
    const args = buildArgs('production', buildx);
    expect(args.slice(-3)).toEqual(['--target', 'production', '/work']);
  });

  test('passes no --target without one', () => {
    expect(buildArgs('', buildx)).not.toContain('--target');
  });
});
