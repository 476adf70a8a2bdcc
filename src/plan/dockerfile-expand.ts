/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alternative}` the way the Dockerfile
 * frontend does for FROM lines: an unknown or empty variable becomes the empty string.
 */
export function expandVariables(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (
      _match,
      braced: string | undefined,
      operator: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      const value = values.get(braced ?? bare ?? '') ?? '';
      if (operator === '-') return value === '' ? expandVariables(word ?? '', values) : value;
      if (operator === '+') return value === '' ? '' : expandVariables(word ?? '', values);
      return value;
    },
  );
}

/** Names used as `$NAME` or `${NAME}` (no default given) that `values` does not hold. */
export function unknownVariables(text: string, values: ReadonlyMap<string, string>): string[] {
  return [...text.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g)]
    .map((match) => match[1] ?? match[2] ?? '')
    .filter((name) => !values.has(name));
}
