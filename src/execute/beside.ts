import type { Step } from '../plan/plan.js';
import type { Log } from '../shared/log.js';

/**
 * A size check without `max-size-increase` only feeds the summary, so it runs beside the pushes
 * rather than before them: unless a push moves the very tag it compares with (it must read that as
 * the registry held it before).
 */
export function runsBeside(step: Step, steps: readonly Step[]): boolean {
  return (
    step.kind === 'size-check' &&
    step.limit === undefined &&
    !steps.some((other) => other.kind === 'push' && other.reference === step.reference)
  );
}

type Line = ['info' | 'notice' | 'warning' | 'debug', string];

/** A step that runs beside the others: its log is held back and shown, in a group of its own, once it is done. */
export interface Beside {
  title: string;
  step: Step;
  log: Log;
  /** Its error, if it failed; undefined when it succeeded. */
  done: Promise<Error | undefined>;
  lines: Line[];
}

export function startBeside(step: Step, body: (log: Log) => Promise<unknown>): Beside {
  const lines: Line[] = [];
  const log: Log = {
    group: (_title, inner) => inner(),
    info: (message) => lines.push(['info', message]),
    notice: (message) => lines.push(['notice', message]),
    warning: (message) => lines.push(['warning', message]),
    debug: (message) => lines.push(['debug', message]),
  };
  const done = body(log).then(
    () => undefined,
    (error: unknown) =>
      error instanceof Error ? error : new Error(`${step.title} failed: ${String(error)}`),
  );
  return { title: step.title, step, log, done, lines };
}

/** Waits for a step that ran beside the others, then shows its log; rethrows its error. */
export async function finishBeside(beside: Beside, log: Log): Promise<void> {
  const error = await beside.done;
  await log.group(beside.title, () => {
    for (const [level, message] of beside.lines) log[level](message);
    return error === undefined ? Promise.resolve() : Promise.reject(error);
  });
}
