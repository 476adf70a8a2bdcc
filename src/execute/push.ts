import { parseImageRef } from '../shared/image-reference.js';
import { isAuthRefusal, parsePushDigest } from '../docker/push-output.js';
import { StepError } from '../shared/errors.js';
import type { Step } from '../plan/plan.js';
import type { PushFailure } from './push-errors.js';
import { attemptsNote, type PushRetries, withRetries } from './retry-loop.js';
import type { CommandResult } from '../shared/command.js';
import type { RunRecord } from '../record/run-record.js';

export type PushOutcome =
  | { pushed: true; digest: string; attempts: number }
  | { pushed: false; failure: PushFailure; attempts: number; result: CommandResult };

/**
 * Pushes one reference (`attempt` runs `step.command` once), retrying transient failures with backoff. A push counts as done only when
 * docker printed the tag's digest: that line comes after the manifest PUT, which is what creates
 * the tag, so a push stopped earlier never leaves a half-pushed tag.
 */
export async function pushWithRetries(
  step: Step & { kind: 'push' },
  attempt: () => Promise<CommandResult>,
  retries: PushRetries,
): Promise<PushOutcome> {
  const tag = parseImageRef(step.reference).tag ?? '';
  const outcome = await withRetries(
    {
      what: `Push of ${step.reference}`,
      run: attempt,
      succeeded: (result) => (result.exitCode === 0 ? parsePushDigest(result.tail, tag) : undefined),
      timeoutSeconds: step.command.timeoutSeconds,
    },
    retries,
  );
  return outcome.done
    ? { pushed: true, digest: outcome.value, attempts: outcome.attempts }
    : { pushed: false, failure: outcome.failure, attempts: outcome.attempts, result: outcome.result };
}

export function loginAdvice(step: { loggedIn: boolean; registry: string }): string {
  if (step.loggedIn) {
    return `${step.registry} refused the credentials this step logged in with (\`username\`/\`password\`, or its \`registry-auth\` entry): check that they may push to this repository.`;
  }
  return (
    `${step.registry} needs a login: this step has no credentials for it. Log in to ${step.registry} in an ` +
    'earlier step (e.g. docker/login-action), name it in `registry` with `username` and `password`, or add it to `registry-auth`.'
  );
}

function pushedSoFar(record: RunRecord, all: Step[]): string {
  const pushed = [...record.digests.keys()];
  const notPushed = all.flatMap((s) =>
    s.kind === 'push' && !record.digests.has(s.reference) ? [s.reference] : [],
  );
  return `Pushed: ${pushed.length > 0 ? pushed.join(', ') : 'nothing'}\nNot pushed: ${notPushed.length > 0 ? notPushed.join(', ') : 'nothing'}`;
}

/**
 * Pushes one reference through `pushWithRetries`, records its digest, or throws a StepError that
 * says what was and was not pushed, and how to fix a refused login.
 */
export async function pushReference(
  step: Step & { kind: 'push' },
  attempt: () => Promise<CommandResult>,
  retries: PushRetries,
  record: RunRecord,
  plan: Step[],
): Promise<void> {
  const outcome = await pushWithRetries(step, attempt, retries);
  if (outcome.pushed) {
    record.digests.set(step.reference, outcome.digest);
    return;
  }
  const why = attemptsNote(outcome);
  const advice = isAuthRefusal(outcome.result.tail) ? `${loginAdvice(step)}\n` : '';
  throw new StepError(
    `Push of ${step.reference} failed${why}: ${outcome.failure.cause}\n${advice}${pushedSoFar(record, plan)}`,
    outcome.result.exitCode,
    outcome.result.tail,
  );
}
