import { formatSeconds } from '../shared/duration.js';
import type { PhaseTiming } from '../record/run-record.js';

/** A run shorter than this gets no chart: its few bars tell nothing the headline does not. */
export const CHART_MIN_SECONDS = 5;

/** One bar: a phase, or several steps of one kind (lookups, pushes, read-backs) as one row. */
interface Row {
  name: string;
  start: number;
  end: number;
}

/** `push` → `pushes`, `lookup` → `lookups`, `cache pull` → `cache pulls`. */
function plural(activity: string): string {
  return /(sh|ch|s|x)$/.test(activity) ? `${activity}es` : `${activity}s`;
}

/** Consecutive steps of one kind become one row with their count, run side by side or one by one. */
function rows(phases: readonly PhaseTiming[]): Row[] {
  const grouped: { activity: string; timings: PhaseTiming[] }[] = [];
  for (const timing of phases) {
    const last = grouped.at(-1);
    if (last !== undefined && last.activity === timing.activity && timing.tag !== undefined)
      last.timings.push(timing);
    else grouped.push({ activity: timing.activity, timings: [timing] });
  }
  return grouped.map(({ activity, timings }) => {
    const start = Math.min(...timings.map((t) => t.start));
    const end = Math.max(...timings.map((t) => t.start + t.seconds));
    const sum = timings.reduce((total, t) => total + t.seconds, 0);
    const count = timings.length;
    // Short, so that a bar's name fits beside it on a phone: `60 pushes one by one 12 s`.
    const together = sum > (end - start) * 1.2 ? 'side by side' : 'one by one';
    const single = timings[0]?.tag;
    const what =
      count > 1
        ? `${count} ${plural(activity)} ${together}`
        : single === undefined
          ? activity
          : `${activity} ${single}`;
    return { name: `${what} ${formatSeconds(end - start)}`, start, end };
  });
}

/** Only the letters, digits and `._-` Mermaid reads as a name; a tag can hold anything else. */
const taskName = (name: string): string => name.replace(/[^\p{L}\p{N} ._-]/gu, ' ');

/** The phases as a Gantt chart, one row per phase; none for a run of a few seconds. */
export function phaseChart(phases: readonly PhaseTiming[]): string[] {
  const total = Math.max(0, ...phases.map((timing) => timing.start + timing.seconds));
  if (phases.length === 0 || total < CHART_MIN_SECONDS) return [];
  const tasks = rows(phases).map((row) => {
    const start = Math.round(row.start * 1000);
    const end = Math.max(start + 1, Math.round(row.end * 1000));
    return `  ${taskName(row.name)} : ${start}, ${end}`;
  });
  // Seconds with a fraction (`12.5`); minutes and seconds past a minute.
  const axis = total >= 60 ? '%M:%S' : '%S.%L';
  return [
    '',
    '```mermaid',
    'gantt',
    '  title Phases',
    '  dateFormat x',
    `  axisFormat ${axis}`,
    '  section run',
    ...tasks,
    '```',
  ];
}
