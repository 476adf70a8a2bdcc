// The summary's phase chart: every step that ran is a bar named for what it did.
import type { StepTiming } from '../../src/execute/execution.js';
import { phaseTimings } from '../../src/report/phase-timings.js';

const timing = (kind: StepTiming['kind'], reference: string | undefined, start: number): StepTiming => ({
  kind,
  title: `the ${kind} group`,
  reference,
  start,
  seconds: 0.5,
});

describe('phaseTimings', () => {
  it('names the resolve phase and each step for what ran, with the tag of its reference', () => {
    const bars = phaseTimings(0.2, [
      timing('test', undefined, 0.2),
      timing('login', undefined, 1),
      timing('lookup', 'localhost:5000/team/app:feature-x', 2),
      timing('cache-pull', 'localhost:5000/team/app:main', 3),
      timing('build', undefined, 4),
      timing('test-in-image', undefined, 5),
      timing('push', 'localhost:5000/team/app:feature-x', 6),
      timing('verify', 'localhost:5000/team/app:feature-x', 7),
    ]);
    expect(bars.map((bar) => [bar.activity, bar.tag])).toEqual([
      ['resolve', undefined],
      ['tests', undefined],
      ['login', undefined],
      ['lookup', 'feature-x'],
      ['cache pull', 'main'],
      ['build', undefined],
      ['test in image', undefined],
      ['push', 'feature-x'],
      ['read-back', 'feature-x'],
    ]);
  });

  it('keeps each step’s log title, start and length; the resolve phase starts at 0', () => {
    const bars = phaseTimings(0.25, [timing('push', 'ghcr.io/acme/app:v1', 3)]);
    expect(bars).toEqual([
      { activity: 'resolve', tag: undefined, title: 'Resolve', start: 0, seconds: 0.25 },
      { activity: 'push', tag: 'v1', title: 'the push group', start: 3, seconds: 0.5 },
    ]);
  });
});
