/** Lets a step clean up when the run is interrupted (the runner cancels a job with SIGINT, then SIGTERM). */
export interface InterruptGuard {
  /** Runs `body`; if the process is interrupted meanwhile, runs `cleanup` and ends the process. */
  protect<T>(cleanup: () => Promise<void>, body: () => Promise<T>): Promise<T>;
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * The real guard. Without a handler Node dies at once on SIGINT, and no `finally` runs; with one,
 * Node no longer exits by itself, so the handler ends the process after cleaning up, with the
 * exit code a shell gives a signalled process.
 */
export const signalGuard: InterruptGuard = {
  async protect(cleanup, body) {
    const handlers = Object.entries(SIGNALS).map(([signal, number]) => {
      const handler = (): void => {
        void cleanup().finally(() => process.exit(128 + number));
      };
      process.once(signal, handler);
      return () => process.off(signal, handler);
    });
    try {
      return await body();
    } finally {
      for (const remove of handlers) remove();
    }
  },
};
