// A build that buildx pushes itself (several platforms, attestations, annotations), tried again when
// its push failed for a passing reason, like `docker push`. The retry runs the whole build command
// once more: BuildKit answers every build step from the cache the failed attempt left, so what runs
// again is the export and the push (the layers the registry already got are not uploaded twice).
import { pushFailureLines } from '../docker/build-push-failure.js';
import { StepError } from '../shared/errors.js';
import type { CommandResult } from '../shared/command.js';
import type { Step } from '../plan/plan.js';
import { classifyPushFailure, type PushFailure } from './push-errors.js';
import { attemptsNote, type PushRetries, withRetries } from './retry-loop.js';

export type PushingBuild = Step & { kind: 'build'; output: 'push' };

export function isPushingBuild(step: Step): step is PushingBuild {
  return step.kind === 'build' && step.output === 'push';
}

/** A failure outside the push: the build's own, judged by the build check; never retried. */
const BUILD_FAILURE: PushFailure = { transient: false, cause: 'the build failed before its push' };

function classify(result: CommandResult, timedOutAfter: number | undefined): PushFailure {
  const push = pushFailureLines(result.tail);
  // Stopped by `push-timeout` (execute/push-deadline.ts): buildx may have printed no error at all.
  if (timedOutAfter !== undefined) return classifyPushFailure(push ?? [], result.exitCode, timedOutAfter);
  if (push === undefined) return BUILD_FAILURE;
  return classifyPushFailure(push, result.exitCode, timedOutAfter);
}

/**
 * Runs the build (`attempt`), again while its push fails for a passing reason. Returns the last
 * result for the build check; a push that still fails throws a StepError that says so.
 */
export async function buildAndPush(
  step: PushingBuild,
  attempt: () => Promise<CommandResult>,
  retries: PushRetries,
): Promise<CommandResult> {
  const outcome = await withRetries(
    {
      what: `Push of ${step.pushes.join(', ')} by buildx`,
      run: attempt,
      succeeded: (result) => (result.exitCode === 0 ? result : undefined),
      timeoutSeconds: step.pushTimeoutSeconds,
      classify,
      retryNote: 'The build steps come from the cache; the export and push run again.',
    },
    retries,
  );
  if (outcome.done) return outcome.value;
  if (outcome.failure === BUILD_FAILURE) return outcome.result;
  throw new StepError(
    `Push of ${step.pushes.join(', ')} by buildx failed${attemptsNote(outcome)}: ${outcome.failure.cause}`,
    outcome.result.exitCode,
    outcome.result.tail,
  );
}
