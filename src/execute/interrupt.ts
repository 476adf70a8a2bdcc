/** Lets a step clean up when the run is interrupted (the runner cancels a job with SIGINT, then SIGTERM). */
export interface InterruptGuard {
  /** Runs `body`; if the process is interrupted meanwhile, runs `cleanup` and ends the process. */
  protect<T>(cleanup: () => Promise<void>, body: () => Promise<T>): Promise<T>;
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/** What the guard needs of `process`; tests pass an emitter of their own. */
export interface SignalledProcess {
  once(signal: keyof typeof SIGNALS, handler: () => void): unknown;
  off(signal: keyof typeof SIGNALS, handler: () => void): unknown;
  exit(code: number): void;
}

/**
 * Without a handler Node dies at once on SIGINT, and no `finally` runs; with one, Node no longer
 * exits by itself, so the handler ends the process after cleaning up, with the exit code a shell
 * gives a signalled process.
 */
export function guardOf(target: SignalledProcess): InterruptGuard {
  return {
    async protect(cleanup, body) {
      const handlers = (Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]).map((signal) => {
        const handler = (): void => {
          void cleanup().finally(() => {
            target.exit(128 + SIGNALS[signal]);
          });
        };
        target.once(signal, handler);
        return () => target.off(signal, handler);
      });
      try {
        return await body();
      } finally {
        for (const remove of handlers) remove();
      }
    },
  };
}

/** The real guard, on this process's signals. */
export const signalGuard: InterruptGuard = guardOf(process);
