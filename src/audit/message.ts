import { markdownCode, markdownText } from '../shared/markdown.js';

/** How many items a finding names before it says "and N more". */
export const SHOWN_ITEMS = 5;

/** `a, b, c, d, e and 7 more`: a list short enough for an annotation. */
export function shortList(items: string[], shown = SHOWN_ITEMS): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

/** What a finding says: `text` for annotations and the log, `markdown` for the job summary. */
export interface Message {
  readonly text: string;
  readonly markdown: string;
}

/** Outside text (the Dockerfile's, a context file's) shown as code: `FROM ${image}`. */
export function code(text: string): Message {
  return { text: `\`${text}\``, markdown: markdownCode(text) };
}

/** Outside words shown as a short list (`a, b and 3 more`), each escaped in the Markdown. */
export function list(items: string[]): Message {
  return { text: shortList(items), markdown: shortList(items.map(markdownText)) };
}

/** A list of code spans joined by `separator` (the rule's own words). */
export function codeList(items: string[], separator: string): Message {
  const spans = items.map(code);
  return {
    text: spans.map((span) => span.text).join(separator),
    markdown: spans.map((span) => span.markdown).join(separator),
  };
}

/**
 * A finding's message. The template's own words are the rule's Markdown (its backticks mark code,
 * the same in the annotation); every value put in comes from outside and is escaped in the
 * Markdown: a string or number as plain text, a Message (from `code`, `list` or `say`) as it is.
 */
export function say(words: TemplateStringsArray, ...values: (string | number | Message)[]): Message {
  let text = words[0] ?? '';
  let markdown = text;
  values.forEach((value, index) => {
    const next = words[index + 1] ?? '';
    const part =
      typeof value === 'object' ? value : { text: String(value), markdown: markdownText(String(value)) };
    text += part.text + next;
    markdown += part.markdown + next;
  });
  return { text, markdown };
}
