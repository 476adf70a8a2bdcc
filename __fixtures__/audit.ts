import { auditDockerfile, type AuditRequest } from '../src/audit/audit.js';
import type { Finding } from '../src/audit/finding.js';

/** Joins lines into a Dockerfile, so that tests can count lines at a glance. */
export function dockerfile(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Audits a Dockerfile whose build context holds `files` (path → text). */
export function audit(
  text: string,
  options: Partial<Omit<AuditRequest, 'text' | 'readContextFile'>> & { files?: Record<string, string> } = {},
): Finding[] {
  const files = options.files ?? {};
  return auditDockerfile({
    file: options.file ?? '/work/Dockerfile',
    text,
    target: options.target,
    buildArgs: options.buildArgs ?? [],
    ignore: options.ignore ?? [],
    targetPlatform: options.targetPlatform,
    readContextFile: (relativePath) => files[relativePath],
  });
}

/** `[rule, line]` of every finding, in order. */
export function ruleLines(findings: Finding[]): [string, number][] {
  return findings.map((finding) => [finding.rule, finding.line]);
}
