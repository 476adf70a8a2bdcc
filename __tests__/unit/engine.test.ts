import { builderContext } from '../../src/facts/world.js';
import { FakeRunner, result } from './helpers.js';

const BUILDX = { buildx: true, serverVersion: '27.0.0' };

describe('builderContext', () => {
  it('a builder that is a docker context is used as the context', async () => {
    const runner = new FakeRunner(result(0, ['ci-daemon'], 'ci-daemon\n'));
    expect(await builderContext(runner, 'ci-daemon', BUILDX)).toBe('ci-daemon');
    expect(runner.commands).toEqual([
      { program: 'docker', args: ['context', 'inspect', '--format', '{{.Name}}', 'ci-daemon'] },
    ]);
  });

  it('any other builder (a buildx instance) is not a context', async () => {
    const runner = new FakeRunner(result(1, ['context "k8s": context not found']));
    expect(await builderContext(runner, 'k8s', BUILDX)).toBeUndefined();
  });

  it.each([
    ['no builder', undefined, BUILDX],
    ['the classic builder', 'ci-daemon', { buildx: false, serverVersion: '20.10.24' }],
  ])('%s: no probe at all', async (_label, builder, engine) => {
    const runner = new FakeRunner();
    expect(await builderContext(runner, builder, engine)).toBeUndefined();
    expect(runner.commands).toEqual([]);
  });
});
