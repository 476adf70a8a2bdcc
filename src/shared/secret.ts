/**
 * A value that must never be printed. Every way of turning it into text gives `***`;
 * only `reveal()` gives the value, and only the command runner calls it (to write stdin).
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** `text` with every occurrence of the value replaced by `***`. */
  redact(text: string): string {
    return this.#value === '' ? text : text.split(this.#value).join('***');
  }

  toString(): string {
    return '***';
  }

  toJSON(): string {
    return '***';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret(***)';
  }
}
