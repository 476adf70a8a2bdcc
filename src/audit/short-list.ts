/** How many items a finding names before it says "and N more". */
export const SHOWN_ITEMS = 5;

/** `a, b, c, d, e and 7 more`: a list short enough for an annotation. */
export function shortList(items: string[], shown = SHOWN_ITEMS): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}
