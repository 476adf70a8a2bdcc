import { readFile } from 'node:fs/promises';
import { failingBuildStep, failingStepOutput, parseBuildMetadata } from '../docker/build-output.js';
import { parseBuildChecks } from '../docker/build-checks.js';
import { pushedManifestDigest } from '../docker/build-push-failure.js';
import { meaningfulLine, missingExecutable } from '../docker/failure-lines.js';
import { StepError } from '../shared/errors.js';
import { IN_IMAGE_SHELL, type Step } from '../plan/plan.js';
import type { CommandResult } from '../shared/command.js';
import { type RunRecord } from '../record/run-record.js';
import { type Log } from '../shared/log.js';

const SHOWN_LINES = 20;

export function lastLines(result: CommandResult): string {
  return result.tail.slice(-SHOWN_LINES).join('\n');
}

function inImageFailure(result: CommandResult): StepError {
  const missing =
    result.exitCode === 126 || result.exitCode === 127 ? missingExecutable(result.tail) : undefined;
  const hint =
    missing === undefined
      ? ''
      : missing === IN_IMAGE_SHELL[0]
        ? ` The image has no ${missing}: write \`test-in-image\` in exec form, e.g. ["/app/server", "--version"], which needs no shell.`
        : ` The image has no ${missing}.`;
  return new StepError(
    `Test inside the image failed with exit code ${result.exitCode}; nothing was pushed.${hint} Last lines of its output:\n${lastLines(result)}`,
    result.exitCode,
    result.tail,
  );
}

/** buildx's metadata file as one line of JSON; undefined when it wrote none that parses. */
function metadataJson(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : undefined;
  } catch {
    return undefined;
  }
}

/** `call: check`: BuildKit exits non-zero when a check warns; each warning is kept for its annotation. */
function checkBuildChecks(result: CommandResult, record: RunRecord, log: Log): void {
  const checks = parseBuildChecks(result.stdout);
  if (checks === undefined) {
    if (result.exitCode === 0) return;
    throw new StepError(
      `Build checks could not run: ${meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`}; nothing was built or pushed.`,
      result.exitCode,
      result.tail,
    );
  }
  record.buildChecks = checks;
  if (checks.length === 0 && result.exitCode === 0) {
    log.info('Build checks found nothing; nothing was built or pushed (`call: check`).');
    return;
  }
  const rules = [...new Set(checks.map((check) => check.rule))].join(', ');
  throw new StepError(
    `Build checks found ${checks.length} problem${checks.length === 1 ? '' : 's'} in the Dockerfile (${rules || `exit code ${result.exitCode}`}); see the annotations. Nothing was built or pushed (\`call: check\`).`,
    result.exitCode || 1,
    result.tail,
  );
}

/** Judges a finished step (not a registry read, not a push): throws a StepError that explains a failure. */
export async function check(
  step: Exclude<Step, { kind: 'lookup' | 'verify' | 'push' }>,
  result: CommandResult,
  record: RunRecord,
  log: Log,
): Promise<void> {
  switch (step.kind) {
    case 'test':
      if (result.exitCode !== 0) {
        throw new StepError(
          `Tests failed with exit code ${result.exitCode}; nothing was built or pushed. Last lines of their output:\n${lastLines(result)}`,
          result.exitCode,
          result.tail,
        );
      }
      return;
    case 'cache-pull':
      if (result.exitCode === 0) record.cachePulled.push(step.reference);
      else {
        log.info(
          `No cache from ${step.reference} (${meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`}); normal for a new branch or a first build.`,
        );
      }
      return;
    case 'login':
      if (result.exitCode !== 0) {
        throw new StepError(
          `Login to ${step.registry} failed: ${meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`}. Check ${step.source}; nothing was built or pushed.`,
          result.exitCode,
          result.tail,
        );
      }
      return;
    case 'build': {
      const stopped = record.cacheExportStopped;
      // BuildKit exports the cache after the image: with `ignore-error=true` the image stands.
      const imageMade = result.exitCode !== 0 && stopped !== undefined && step.cacheExportOptional === true;
      if (result.exitCode !== 0 && stopped !== undefined && !imageMade) {
        throw new StepError(
          `Build's registry cache export to ${stopped.target} was stopped after ${stopped.seconds} s (\`push-timeout\`); nothing was pushed. Add \`ignore-error=true\` to \`cache-to\` to let the image stand without it, or raise \`push-timeout\`.`,
          result.exitCode,
          result.tail,
        );
      }
      if (result.exitCode !== 0 && !imageMade) {
        const failing = failingBuildStep(result.tail);
        const docker = meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`;
        const printed = failingStepOutput(result.tail);
        const why = printed === undefined || docker.includes(printed) ? docker : `${printed} (${docker})`;
        throw new StepError(
          `Build failed${failing === undefined ? '' : ` at ${failing}`}: ${why}; nothing was pushed.`,
          result.exitCode,
          result.tail,
        );
      }
      const imageId = (await readFile(step.iidFile, 'utf8').catch(() => '')).trim();
      const metadata = step.classic ? '' : await readFile(step.metadataFile, 'utf8').catch(() => '');
      record.buildMetadata = metadataJson(metadata);
      if (step.output === 'push') {
        // Stopped in its cache export, buildx wrote no metadata file; its progress named the digest.
        const digest =
          parseBuildMetadata(metadata) ?? (imageMade ? pushedManifestDigest(result.tail) : undefined);
        if (digest === undefined) {
          throw new StepError(
            `buildx reported success but recorded no pushed digest in ${step.metadataFile}.`,
            0,
            result.tail,
          );
        }
        for (const reference of step.pushes) record.digests.set(reference, digest);
      } else if (step.output === 'load' && imageId === '' && !(imageMade && step.loadedId !== undefined)) {
        throw new StepError(
          `Build reported success but wrote no image id to ${step.iidFile}; nothing was pushed.`,
          0,
          result.tail,
        );
      }
      record.imageId = imageId || undefined;
      return;
    }
    case 'test-in-image':
      if (result.exitCode !== 0) throw inImageFailure(result);
      return;
    case 'check':
      checkBuildChecks(result, record, log);
      return;
    case 'size-check':
      return; // it throws itself when the image grew too much
  }
}
