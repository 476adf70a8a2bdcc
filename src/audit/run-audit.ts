import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import type { Settings } from '../inputs/settings.js';
import { auditDockerfile } from './audit.js';
import { contextFileReader } from './context-file.js';
import { type Finding, auditFailure, displayPath } from './finding.js';

/** The platform this job runs on, as BuildKit names it (`$BUILDPLATFORM`). */
function runnerPlatform(): string {
  const arch = { x64: 'amd64', arm64: 'arm64', arm: 'arm/v7' }[process.arch as string] ?? process.arch;
  return `linux/${arch}`;
}

/**
 * Audits the Dockerfile and annotates each finding. Returns the findings (file paths relative to
 * the workspace) for the summary; undefined with `audit: off`.
 */
export async function runAudit(
  settings: Settings,
  workspace: string,
  /** The Dockerfile's text when already read; read here otherwise (an unreadable file fails here). */
  text?: string,
): Promise<Finding[] | undefined> {
  if (settings.audit === 'off') return undefined;
  const findings = auditDockerfile({
    file: settings.file,
    text: text ?? (await readFile(settings.file, 'utf8')),
    target: settings.target,
    buildArgs: settings.buildArgs,
    ignore: settings.auditIgnore,
    readContextFile: contextFileReader(settings.context),
    targetPlatform: settings.platforms[0],
    buildPlatform: runnerPlatform(),
  }).map((finding) => ({ ...finding, file: displayPath(finding.file, workspace) }));
  const annotate = settings.audit === 'error' ? core.error : core.warning;
  for (const finding of findings) {
    annotate(finding.message, {
      file: finding.file,
      startLine: finding.line,
      title: `Dockerfile audit: ${finding.rule}`,
    });
  }
  if (findings.length === 0) core.info('Dockerfile audit: no findings.');
  return findings;
}

/** With `audit: error`, any finding stops the step, listing them all; call it before the plan runs. */
export function stopOnAuditFindings(settings: Settings, findings: Finding[] | undefined): void {
  if (settings.audit === 'error' && findings !== undefined && findings.length > 0) {
    throw new Error(auditFailure(findings));
  }
}
