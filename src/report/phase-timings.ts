import type { StepTiming } from '../execute/execution.js';
import type { Step } from '../plan/plan.js';
import type { Activity, PhaseTiming } from '../record/run-record.js';

/** What the phase chart calls each kind of step. */
const ACTIVITIES: Record<Step['kind'], Activity> = {
  test: 'tests',
  login: 'login',
  lookup: 'lookup',
  'cache-pull': 'cache pull',
  build: 'build',
  'test-in-image': 'test in image',
  push: 'push',
  verify: 'read-back',
};

/** The tag of a full reference (`host:5000/app:v1` → `v1`); the plan's references always have one. */
function tagOf(reference: string): string {
  return reference.slice(reference.lastIndexOf(':') + 1);
}

/** The chart's bars: the resolve phase, then every step that ran, each named for what it did. */
export function phaseTimings(resolveSeconds: number, timings: readonly StepTiming[]): PhaseTiming[] {
  return [
    { activity: 'resolve', tag: undefined, title: 'Resolve', start: 0, seconds: resolveSeconds },
    ...timings.map((timing) => ({
      activity: ACTIVITIES[timing.kind],
      tag: timing.reference === undefined ? undefined : tagOf(timing.reference),
      title: timing.title,
      start: timing.start,
      seconds: timing.seconds,
    })),
  ];
}
