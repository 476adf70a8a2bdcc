import type { RuleId } from '../inputs/audit-inputs.js';
import * as path from 'node:path';

/** One broken rule: where it is and how to fix it. */
export interface Finding {
  rule: RuleId;
  /** The Dockerfile's path: absolute in the audit, relative to the workspace once reported. */
  file: string;
  /** 1-based line of the instruction that breaks the rule. */
  line: number;
  /** What is wrong and the fix, in one or two sentences. */
  message: string;
}

/** A finding before the audit knows which file it is in. */
export type RuleFinding = Omit<Finding, 'file'>;

/** The path annotations and the summary show: relative to the workspace when inside it. */
export function displayPath(file: string, workspace: string): string {
  const relative = path.relative(workspace, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative)
    ? file
    : relative.split(path.sep).join('/');
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line} [${finding.rule}] ${finding.message}`;
}

/** The step's error with `audit: error`: every finding, then how to go on. */
export function auditFailure(findings: Finding[]): string {
  const count = findings.length === 1 ? '1 finding' : `${findings.length} findings`;
  return [
    `Dockerfile audit failed with ${count}; nothing was tested, built or pushed:`,
    ...findings.map((finding) => `  ${formatFinding(finding)}`),
    'Fix them, silence one line with `# audit-ignore: <rule-id>` above it, skip a rule with `audit-ignore`, or set `audit: warn`.',
  ].join('\n');
}
