import type { AnnotationProperties } from '@actions/core';
import type { Failure } from '../record/run-record.js';
import { displayPath } from '../audit/finding.js';
import type { BuildCheck } from '../docker/build-checks.js';

/** An annotation to emit: what `core.error` / `core.warning` take. */
export interface Annotation {
  level: 'error' | 'warning';
  message: string;
  properties: AnnotationProperties;
}

/**
 * The error annotation of a failed run: on the Dockerfile line of a failed build (no title, so the
 * annotation reads `::error file=Dockerfile,line=3::Build failed at ...`), titled with the exit code
 * for failed tests, plain otherwise.
 */
export function failureAnnotation(failure: Failure): Annotation {
  if (failure.phase === 'build' && failure.location !== undefined) {
    return {
      level: 'error',
      message: failure.message,
      properties: { file: failure.location.file, startLine: failure.location.line },
    };
  }
  if ((failure.phase === 'tests' || failure.phase === 'test in image') && failure.exitCode !== undefined) {
    const what = failure.phase === 'tests' ? 'Tests' : 'Test inside the image';
    return {
      level: 'error',
      message: failure.message,
      properties: { title: `${what} failed with exit code ${failure.exitCode}` },
    };
  }
  return { level: 'error', message: failure.message, properties: {} };
}

/**
 * Inputs the runner passed (`INPUT_*`) that action.yml does not declare: usually a typo in `with:`.
 * The runner upper-cases names, so they are shown lower-cased.
 */
export function unknownInputs(env: NodeJS.ProcessEnv, declared: readonly string[]): string[] {
  const known = new Set(declared.map((name) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`));
  return Object.keys(env)
    .filter((key) => key.startsWith('INPUT_') && !known.has(key))
    .map((key) => key.slice('INPUT_'.length).toLowerCase())
    .sort();
}

function names(list: readonly string[]): string {
  return list.map((name) => `\`${name}\``).join(', ');
}

export function unknownInputsWarning(unknown: readonly string[], declared: readonly string[]): Annotation[] {
  if (unknown.length === 0) return [];
  return [
    {
      level: 'warning',
      message: `Unknown input${unknown.length > 1 ? 's' : ''} ${names(unknown)}: this action does not read ${unknown.length > 1 ? 'them' : 'it'}. Known inputs: ${names(declared)}.`,
      properties: { title: 'Unknown input' },
    },
  ];
}

/** Inputs that are set but have no effect on this run; each warning names them and says why. */
export interface IgnoredInputs {
  /** `username`/`password` or `registry-auth` given with `dry-run: true`: nothing logs in. */
  credentialsInDryRun: boolean;
  /** `build-args` keys that no ARG of the Dockerfile declares: the build never sees them. */
  undeclaredBuildArgs: string[];
}

export function ignoredInputsWarnings(ignored: IgnoredInputs): Annotation[] {
  const warnings: Annotation[] = [];
  if (ignored.credentialsInDryRun) {
    warnings.push({
      level: 'warning',
      message:
        '`username`, `password` and `registry-auth` are ignored with `dry-run: true`: a dry run logs in nowhere.',
      properties: { title: 'Ignored input' },
    });
  }
  if (ignored.undeclaredBuildArgs.length > 0) {
    warnings.push({
      level: 'warning',
      message: `\`build-args\` ${names(ignored.undeclaredBuildArgs)} ${ignored.undeclaredBuildArgs.length > 1 ? 'are' : 'is'} not declared by any ARG in the Dockerfile, so the build ignores ${ignored.undeclaredBuildArgs.length > 1 ? 'them' : 'it'}. Add \`ARG <name>\` where it is used, or remove it.`,
      properties: { title: 'Ignored input' },
    });
  }
  return warnings;
}

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
