import { displayPath } from '../audit/finding.js';
import type { BuildCheck } from '../docker/build-checks.js';
import type { Annotation } from './annotations.js';

/** One warning annotation per build check finding, on the Dockerfile lines it names. */
export function buildCheckAnnotations(
  checks: readonly BuildCheck[],
  dockerfile: string,
  workspace: string,
): Annotation[] {
  const file = displayPath(dockerfile, workspace);
  return checks.map((check) => ({
    level: 'warning',
    message: `${check.detail}${check.url === undefined ? '' : ` (${check.url})`}`,
    properties: {
      title: `Build check ${check.rule}`,
      file,
      ...(check.startLine === undefined ? {} : { startLine: check.startLine, endLine: check.endLine }),
    },
  }));
}
