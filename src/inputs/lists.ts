/**
 * List inputs take one item per line. Lines are trimmed (CRLF and stray spaces are ignored);
 * empty lines and lines starting with `#` are comments and are skipped.
 */
export function parseList(text: string): string[] {
  return text
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/** YAML 1.2 core booleans, as actions/toolkit accepts them; undefined when the text is neither. */
export function parseBoolean(text: string): boolean | undefined {
  const value = text.trim();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  return undefined;
}
