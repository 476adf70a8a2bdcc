import type { Finding } from './audit/finding.js';
import type { Execution } from './executor.js';

export interface SummaryInput {
  references: string[];
  pushed: boolean;
  dryRun: boolean;
  execution: Execution | undefined;
  /** Dockerfile audit findings; undefined when the audit is off. */
  audit: Finding[] | undefined;
}

function escape(text: string): string {
  return text.replace(/[|`<>]/g, (c) => `\\${c}`);
}

/** Markdown for the job summary. Holds no secret: only references, digests and the image id. */
export function renderSummary(input: SummaryInput): string {
  const result = input.dryRun ? 'Dry run' : input.pushed ? 'Pushed' : 'Built (not pushed)';
  const rows = input.references.map((reference) => {
    const digest = input.execution?.digests.get(reference);
    return `| \`${escape(reference)}\` | ${digest === undefined ? '–' : `\`${digest}\``} |`;
  });
  const lines = [
    `## ${result}: ${escape(input.references[0] ?? '')}`,
    '',
    '| reference | digest |',
    '| --- | --- |',
    ...rows,
  ];
  if (input.execution?.imageId) lines.push('', `Image id: \`${input.execution.imageId}\``);
  if (input.audit !== undefined) lines.push('', ...auditLines(input.audit));
  return `${lines.join('\n')}\n`;
}

function auditLines(findings: Finding[]): string[] {
  if (findings.length === 0) return ['### Dockerfile audit', '', 'No findings.'];
  return [
    '### Dockerfile audit',
    '',
    '| rule | where | finding |',
    '| --- | --- | --- |',
    ...findings.map(
      (f) => `| \`${f.rule}\` | ${escape(`${f.file}:${f.line}`)} | ${f.message.replace(/\|/g, '\\|')} |`,
    ),
  ];
}
