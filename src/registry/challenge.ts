// WWW-Authenticate (RFC 9110 §11.6.1): one or more challenges, each a scheme followed by
// comma-separated `name=value` parameters (value a token or a quoted string) or a token68.
// Node joins repeated header lines with ", ", so one string may hold several challenges.

export interface Challenge {
  /** Lower-cased: `basic`, `bearer`. */
  scheme: string;
  /** Parameter names lower-cased; the first of a repeated name wins. */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

class Cursor {
  position = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.position);
  }

  skip(pattern: RegExp): void {
    while (!this.done && pattern.test(this.peek())) this.position += 1;
  }

  token(): string {
    const start = this.position;
    this.skip(TOKEN_CHAR);
    return this.text.slice(start, this.position);
  }

  /** A quoted string with backslash escapes; undefined (position unchanged) when unterminated. */
  quoted(): string | undefined {
    const start = this.position;
    let value = '';
    for (let at = start + 1; at < this.text.length; at += 1) {
      const char = this.text.charAt(at);
      if (char === '"') {
        this.position = at + 1;
        return value;
      }
      if (char === '\\' && at + 1 < this.text.length) at += 1;
      value += this.text.charAt(at);
    }
    this.position = start;
    return undefined;
  }
}

const SPACE = /[ \t]/;
const SPACE_OR_COMMA = /[ \t,]/;

/** Reads `name = value`; leaves the cursor where it was and returns undefined when there is none. */
function param(cursor: Cursor): [string, string] | undefined {
  const start = cursor.position;
  const name = cursor.token();
  cursor.skip(SPACE);
  if (name === '' || cursor.peek() !== '=') {
    cursor.position = start;
    return undefined;
  }
  cursor.position += 1;
  cursor.skip(SPACE);
  // An unquoted value is a token, never empty: `abc=` is a token68, not a parameter.
  const value = cursor.peek() === '"' ? cursor.quoted() : cursor.token() || undefined;
  if (value === undefined) {
    cursor.position = start;
    return undefined;
  }
  return [name.toLowerCase(), value];
}

/** Parses a WWW-Authenticate value into its challenges; unparseable pieces are skipped, never thrown. */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  const cursor = new Cursor(header);
  while (!cursor.done) {
    cursor.skip(SPACE_OR_COMMA);
    const scheme = cursor.token();
    if (scheme === '') {
      // Not a token: skip one character and look for the next challenge.
      cursor.position += 1;
      continue;
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    if (!SPACE.test(cursor.peek())) continue;
    cursor.skip(SPACE);
    const token68 = TOKEN68.exec(cursor.text.slice(cursor.position))?.[0];
    const paramsStart = cursor.position;
    if (token68 !== undefined && param(cursor) === undefined) {
      cursor.position += token68.length;
      continue;
    }
    cursor.position = paramsStart;
    for (;;) {
      const parsed = param(cursor);
      if (parsed === undefined) break;
      const [name, value] = parsed;
      if (!(name in challenge.params)) challenge.params[name] = value;
      cursor.skip(SPACE);
      if (cursor.peek() !== ',') break;
      // After a comma comes either another parameter or the next challenge's scheme.
      const comma = cursor.position;
      cursor.skip(SPACE_OR_COMMA);
      const next = cursor.position;
      if (param(cursor) === undefined) {
        cursor.position = comma;
        break;
      }
      cursor.position = next;
    }
  }
  return challenges;
}
