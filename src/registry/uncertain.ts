/**
 * Raised inside this module when the registry cannot be read or its answer cannot be trusted;
 * `readTag` turns it into `{ kind: 'unknown', reason }`.
 */
export class Uncertain extends Error {}

/** Replaces every secret in `text` (passwords, tokens, encoded `user:pass`) with `***`. */
export function redact(text: string, secrets: Iterable<string>): string {
  let clean = text;
  // Longest first, so that a secret containing a shorter one is hidden whole.
  for (const secret of [...secrets].filter((value) => value.length > 0).sort((a, b) => b.length - a.length)) {
    clean = clean.split(secret).join('***');
  }
  return clean;
}
