/** An input that cannot be used as given; the message names the input and the fix. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Input \`${input}\`: ${message}`);
    this.name = 'InputError';
  }
}

/** A command of the plan failed; `tail` holds the last lines it printed. */
export class StepError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly tail: string[] = [],
  ) {
    super(message);
    this.name = 'StepError';
  }
}

/** Turns anything thrown (not only Error) into one readable message. */
export function errorMessage(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  try {
    return JSON.stringify(thrown);
  } catch {
    return String(thrown);
  }
}
