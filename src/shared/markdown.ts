// Outside text (from files, registries, git) put into the job summary's Markdown. A leaf: it
// imports nothing, so every stage that writes summary Markdown uses the same two functions.

/**
 * ASCII punctuation that starts Markdown or HTML anywhere in a line: code, emphasis, strikethrough,
 * links and images, HTML and autolinks, entities, table cells, math, mentions and references.
 * A backslash escapes any ASCII punctuation (CommonMark); the rest is escaped only where it counts,
 * and so is `_` (between letters or digits, as in `pip_token`, it starts no emphasis).
 */
const ANYWHERE = /[\\`*[\]<>&|~$@#]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/** At the start of a line: a list (`-`, `+`, `1.`, `1)`) or a heading underline (`=`). */
const AT_START = /^([-+=]|\d+[.)])/;

/** Autolinks that need no punctuation above: `https://…`, `www.…`. */
const AUTOLINK = /:(?=\/\/)|(?<=www)\./gi;

/** Tab, line breaks and invisible characters: they would break the line or the table, or be trimmed. */
const INVISIBLE = /[\t\n\r\p{Cf}\p{Zl}\p{Zp}]/gu;

/** Other control characters: no renderer shows them, and HTML reads some as other characters. */
const CONTROL = /(?![\t\n\r])\p{Cc}/gu;

const entity = (char: string): string => `&#${char.codePointAt(0) ?? 0};`;

/**
 * `text` as Markdown that renders as exactly that text: no element, link, image, HTML or entity
 * can start in it, and it stays on its line (also inside a table cell). Control characters other
 * than tab and line breaks become U+FFFD, as a NUL does in every Markdown renderer.
 */
export function markdownText(text: string): string {
  const escaped = text
    .replace(CONTROL, '\uFFFD')
    .replace(ANYWHERE, '\\$&')
    .replace(AUTOLINK, '\\$&')
    .replace(AT_START, (start: string) => `${start.slice(0, -1)}\\${start.slice(-1)}`)
    .replace(INVISIBLE, entity);
  // Whitespace at either end is trimmed by the renderer unless written as an entity.
  return escaped.replace(/^\s+|\s+$/gu, (run) => run.replace(/./gsu, entity));
}

/** Text a backtick code span shows exactly: one line, no backtick or `|`, no space at either end. */
const PLAIN_CODE =
  /^(?:[^\s`|\p{C}\p{Zl}\p{Zp}](?:[^`|\t\n\r\p{C}\p{Zl}\p{Zp}]*[^\s`|\p{C}\p{Zl}\p{Zp}])?)$/u;

/**
 * `text` as inline code that renders as exactly that text, in a table cell or anywhere else: a
 * backtick code span when it can hold the text, else an HTML `<code>` around the escaped text.
 */
export function markdownCode(text: string): string {
  return PLAIN_CODE.test(text) ? `\`${text}\`` : `<code>${markdownText(text)}</code>`;
}
