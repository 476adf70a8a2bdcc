import type { RuleId } from '../inputs/audit-inputs.js';

const IGNORE_COMMENT = /^audit-ignore:\s*(.+)$/;
/** `# hadolint ignore=DL3008,DL3009` above an instruction; `# hadolint global ignore=...` for the file. */
const HADOLINT_COMMENT = /^hadolint\s+(global\s+)?ignore\s*=\s*(.+)$/;

/**
 * hadolint's rule codes that check what one of ours checks: a project's hadolint exceptions
 * silence our rule too. docs/audit.md lists them, and the codes that have no counterpart here.
 */
export const HADOLINT_RULES: Readonly<Record<string, RuleId>> = {
  DL3002: 'root-user',
  DL3006: 'unpinned-base',
  DL3007: 'unpinned-base',
  DL3009: 'apt-lists',
  DL3013: 'unpinned-pip',
  DL3015: 'apt-recommends',
};

function hadolintIds(codes: string): string[] {
  return codes.split(/[\s,]+/).flatMap((code) => {
    const id = HADOLINT_RULES[code.trim().toUpperCase()];
    return id === undefined ? [] : [id];
  });
}

/**
 * The rule ids silenced for the instruction on `line`: those named by `# audit-ignore: <rule-id>, ...`
 * or by `# hadolint ignore=<code>,...` comments in the block of comment lines right above it, and
 * by `# hadolint global ignore=<code>,...` anywhere in the file.
 */
export function ignoredAt(line: number, comments: ReadonlyMap<number, string>): Set<string> {
  const ids = new Set<string>();
  for (const comment of comments.values()) {
    const hadolint = HADOLINT_COMMENT.exec(comment.trim());
    if (hadolint?.[1] !== undefined) for (const id of hadolintIds(hadolint[2] ?? '')) ids.add(id);
  }
  for (let above = line - 1; comments.has(above); above--) {
    const comment = (comments.get(above) ?? '').trim();
    const match = IGNORE_COMMENT.exec(comment);
    for (const id of match?.[1]?.split(/[\s,]+/) ?? []) if (id !== '') ids.add(id);
    const hadolint = HADOLINT_COMMENT.exec(comment);
    if (hadolint !== null && hadolint[1] === undefined)
      for (const id of hadolintIds(hadolint[2] ?? '')) ids.add(id);
  }
  return ids;
}
