const IGNORE_COMMENT = /^audit-ignore:\s*(.+)$/;

/**
 * The rule ids silenced for the instruction on `line`: those named by `# audit-ignore: <rule-id>, ...`
 * comments in the block of comment lines right above it.
 */
export function ignoredAt(line: number, comments: ReadonlyMap<number, string>): Set<string> {
  const ids = new Set<string>();
  for (let above = line - 1; comments.has(above); above--) {
    const match = IGNORE_COMMENT.exec(comments.get(above) ?? '');
    for (const id of match?.[1]?.split(/[\s,]+/) ?? []) if (id !== '') ids.add(id);
  }
  return ids;
}
