import { formatSeconds } from '../shared/duration.js';

/** How long a command may print nothing before the log says it is still running. */
export const QUIET_MS = 30_000;

/**
 * Runs `body`, handing it a line listener; every `quietMs` in which no line arrived, says that
 * `title` is still running, so a long silent phase (a big push, a slow test) never looks stuck.
 */
export async function withHeartbeat<T>(
  title: string,
  say: (message: string) => void,
  body: (onLine: (line: string) => void) => Promise<T>,
  quietMs = QUIET_MS,
): Promise<T> {
  const started = Date.now();
  let heard = false;
  const timer = setInterval(() => {
    if (!heard) say(`${title}: still running (${formatSeconds((Date.now() - started) / 1000)})`);
    heard = false;
  }, quietMs);
  timer.unref();
  try {
    return await body(() => {
      heard = true;
    });
  } finally {
    clearInterval(timer);
  }
}
