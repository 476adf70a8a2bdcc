import * as path from 'node:path';
import type { RuleId } from '../inputs/audit-inputs.js';
import type { Message } from './message.js';

/** One broken rule: where it is and how to fix it. */
export interface Finding {
  rule: RuleId;
  /** The Dockerfile's path: absolute in the audit, relative to the workspace once reported. */
  file: string;
  /** 1-based line of the instruction that breaks the rule. */
  line: number;
  /** What is wrong and the fix, in one or two sentences (backticks around code, as written). */
  message: string;
  /** The same as Markdown for the job summary, with every quoted piece of the Dockerfile escaped. */
  markdown: string;
}

/** A finding as a rule makes it, before the audit knows which file it is in. */
export interface RuleFinding {
  rule: RuleId;
  line: number;
  message: Message;
}

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
