import * as path from 'node:path';
import { failedBuildStep } from '../docker/build-output.js';
import { dockerfileLine } from '../plan/dockerfile-lines.js';
import { errorMessage, StepError } from '../shared/errors.js';
import type { Step } from '../plan/plan.js';
import { ACTIVITIES } from '../record/run-record.js';
import type { Failure, Phase, RunRecord, SourceLocation } from '../record/run-record.js';

const PHASES: Record<Step['kind'], Phase> = {
  test: 'tests',
  login: 'login',
  // Pulling the registry cache prepares the build; its time and failures belong to it.
  'cache-pull': 'build',
  build: 'build',
  check: 'build',
  'test-in-image': 'test in image',
  // The registry reads before the build (tag collisions) and after the pushes (digests) serve the push.
  lookup: 'push',
  push: 'push',
  verify: 'push',
  // The size check stops the run before the pushes.
  'size-check': 'size check',
  // A merge job's look for the platform images comes before its push, and serves it.
  'platform-image': 'push',
  index: 'push',
};

/** What a failure is set against: the build's Dockerfile and the workspace annotations are relative to. */
export interface FailureContext {
  record: RunRecord;
  /** Absolute path of the Dockerfile and its text; undefined before the inputs were read. */
  dockerfile: { file: string; text: string } | undefined;
  workspace: string;
  /** Removes secrets from text that goes into the record. */
  redact: (text: string) => string;
}

/** The Dockerfile line a failed build stopped at, relative to the workspace; undefined outside it. */
function buildLocation(error: StepError, context: FailureContext): SourceLocation | undefined {
  const { dockerfile, record, workspace } = context;
  if (dockerfile === undefined) return undefined;
  const step = failedBuildStep(error.tail) ?? record.lastClassicStep;
  const line = step === undefined ? undefined : dockerfileLine(dockerfile.text, step);
  const file = path.relative(workspace, dockerfile.file);
  if (line === undefined || file.startsWith('..') || path.isAbsolute(file)) return undefined;
  return { file: file.split(path.sep).join('/'), line };
}

/** Turns whatever stopped the run into the record's failure: its phase, exit code, output, place. */
export function failureOf(thrown: unknown, context: FailureContext): Failure {
  const message = context.redact(errorMessage(thrown));
  const step = context.record.failedStep;
  const activity = step === undefined ? undefined : ACTIVITIES[step.kind];
  if (step === undefined || !(thrown instanceof StepError)) {
    return {
      activity,
      phase: step === undefined ? 'resolve' : PHASES[step.kind],
      message,
      exitCode: undefined,
      output: [],
      location: undefined,
    };
  }
  return {
    activity,
    phase: PHASES[step.kind],
    message,
    exitCode: thrown.exitCode,
    output: thrown.tail.map(context.redact),
    location: step.kind === 'build' ? buildLocation(thrown, context) : undefined,
  };
}
