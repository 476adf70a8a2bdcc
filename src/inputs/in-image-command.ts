// The `test-in-image` mini-language: Dockerfile's two forms. Pure: parsers return data or throw.

/** How the in-image test command runs; the image's ENTRYPOINT and CMD never run in either form. */
export type InImageCommand =
  /** Shell code run by `/bin/sh -e -c` (the image needs /bin/sh). */
  | { form: 'shell'; script: string }
  /** A program and its arguments run as they are, without a shell (distroless images). */
  | { form: 'exec'; argv: [string, ...string[]] };

export class InImageCommandError extends Error {}

/** `["/app/server", ...`; `[ "$X" = y ]` (with a space) stays shell code. */
const EXEC_FORM = /^\["/;

/**
 * Dockerfile's rule: text that is a JSON array of strings is the exec form, anything else is shell
 * code. Text that opens like a JSON array of strings but does not parse is an error rather than
 * shell code, so that a missing comma never turns into a confusing `[: not found` in the image.
 */
export function parseInImageCommand(text: string): InImageCommand {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return { form: 'shell', script: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    if (EXEC_FORM.test(trimmed)) {
      throw new InImageCommandError(
        `${trimmed} starts like the exec form but is not a JSON array of strings; write ["program", "arg", ...] or plain shell code`,
      );
    }
    // `[ -f /app/config.yml ]`: the shell's test command.
    return { form: 'shell', script: text };
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((item) => typeof item === 'string')) {
    throw new InImageCommandError(
      `${trimmed} is JSON but not a non-empty array of strings; write ["program", "arg", ...] or plain shell code`,
    );
  }
  const [program, ...args] = parsed;
  if (program === undefined || program === '') {
    throw new InImageCommandError(`${trimmed} names no program: its first element is empty`);
  }
  return { form: 'exec', argv: [program, ...args] };
}

/** Environment the in-image test gets unless `test-in-image-env` says otherwise. */
export const DEFAULT_IN_IMAGE_ENV: Readonly<Record<string, string>> = { PYTHONFAULTHANDLER: '1' };

/**
 * `KEY=VALUE` lines over the defaults, each key once (a later line wins), defaults first. The order
 * is stable so the plan, and its log, are the same on every run.
 */
export function mergeEnvLines(lines: readonly string[], defaults = DEFAULT_IN_IMAGE_ENV): string[] {
  const env = new Map(Object.entries(defaults));
  for (const line of lines) {
    const at = line.indexOf('=');
    env.set(line.slice(0, at), line.slice(at + 1));
  }
  return [...env].map(([key, value]) => `${key}=${value}`);
}
