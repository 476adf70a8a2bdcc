// Markdown that survives any text put into it: code spans, fenced blocks, wrapped prose.

/** A code span that survives any text: a longer backtick fence, and `|` escaped for tables. */
export function code(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`.replace(/\|/g, '\\|');
}

/** A fenced block longer than any backtick run inside it, so output cannot close it early. */
export function block(lines: readonly string[], language = 'text'): string[] {
  const longest = Math.max(2, ...lines.flatMap((line) => (line.match(/`+/g) ?? []).map((r) => r.length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines, fence];
}

/**
 * A message as a quoted paragraph the page wraps (a code block would run off the side in one line);
 * HTML is escaped, line breaks kept.
 */
export function prose(message: string): string[] {
  return message
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .split(/\r?\n/)
    .map((line) => (line.trim() === '' ? '>' : `> ${line}  `));
}
