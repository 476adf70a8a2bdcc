import { BuildOutputCounter } from '../../src/docker/build-output.js';
import { parseImageSize } from '../../src/docker/image-inspect.js';
import { dockerLines } from './helpers.js';

function counted(lines: readonly string[]): BuildOutputCounter {
  const counter = new BuildOutputCounter();
  for (const line of lines) counter.add(line);
  return counter;
}

describe('BuildOutputCounter (real build output)', () => {
  it.each([
    // FROM scratch/busybox is a pull, not a step; [internal] vertices are not steps either.
    ['buildx, all cached (two stages)', 'buildx-cached.txt', { cached: 4, steps: 4 }],
    ['classic, all cached (two stages, ENV counts)', 'classic-cached.txt', { cached: 5, steps: 5 }],
    ['buildx, nothing cached', 'buildx-run-exit-3.txt', { cached: 0, steps: 2 }],
    ['classic, nothing cached', 'classic-run-exit-3.txt', { cached: 0, steps: 2 }],
    ['not a build', 'push-ok.txt', undefined],
  ])('%s', (_label, fixture, cache) => {
    expect(counted(dockerLines(fixture)).cache()).toEqual(cache);
  });

  it('counts a buildx vertex once however often it is printed', () => {
    const lines = [
      '#5 [2/3] RUN make',
      '#5 0.1 compiling',
      '#5 [2/3] RUN make',
      '#5 CACHED',
      '#6 [auth] token',
      '#6 CACHED',
    ];
    expect(counted(lines).cache()).toEqual({ cached: 1, steps: 1 });
  });

  it('remembers the last classic step even when its output outgrows any tail', () => {
    const noise = Array.from({ length: 1000 }, (_, i) => `line ${i}`);
    const counter = counted(['Step 1/2 : FROM scratch', 'Step 2/2 : RUN make', ...noise]);
    expect(counter.lastClassicStep()).toEqual({ kind: 'classic', step: 2, instruction: 'RUN make' });
    expect(counted(noise).lastClassicStep()).toBeUndefined();
  });
});

describe('parseImageSize', () => {
  it.each([
    ['1983840\n', 1983840],
    ['0', 0],
    ['', undefined],
    ['Error: No such image: x', undefined],
    ['12.5', undefined],
    ['99999999999999999999', undefined],
  ])('%j → %j', (stdout, size) => {
    expect(parseImageSize(stdout)).toBe(size);
  });
});
