import { markdownText } from '../shared/markdown.js';
// Blocks of outside text in the summary: fenced output, and messages as wrapped prose.

/** A fenced block longer than any backtick run inside it, so output cannot close it early. */
export function block(lines: readonly string[], language = 'text'): string[] {
  const longest = Math.max(2, ...lines.flatMap((line) => (line.match(/`+/g) ?? []).map((r) => r.length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines, fence];
}

/**
 * A message as a quoted paragraph the page wraps (a code block would run off the side in one
 * line): each line escaped as text, line breaks kept; `lead` (Markdown already) opens the first.
 */
export function prose(message: string, lead = ''): string[] {
  return message
    .split(/\r?\n/)
    .map((line, index) => `${index === 0 ? lead : ''}${markdownText(line)}`)
    .map((line) => (line.trim() === '' ? '>' : `> ${line}  `));
}
