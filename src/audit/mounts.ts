/**
 * The options of one `RUN --mount=...` value: comma-separated `key=value` fields as BuildKit reads
 * them (CSV), so a quoted field or value (`target="/var/lib/apt/lists"`) loses its quotes.
 */
export function mountOptions(value: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const field of splitFields(value)) {
    const equals = field.indexOf('=');
    const key = (equals === -1 ? field : field.slice(0, equals)).trim().toLowerCase();
    options.set(key, equals === -1 ? '' : unquote(field.slice(equals + 1).trim()));
  }
  return options;
}

/** Where a mount puts its files in the container: `target`, `dst` or `destination`. */
export function mountTarget(value: string): string | undefined {
  const options = mountOptions(value);
  return options.get('target') ?? options.get('dst') ?? options.get('destination');
}

function splitFields(value: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quote: string | undefined;
  for (const c of value) {
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else field += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields.filter((text) => text.trim() !== '');
}

function unquote(text: string): string {
  return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text;
}
