import { readFile } from 'node:fs/promises';
import { judgeCollision } from './collisions.js';
import { failingBuildStep, isAuthRefusal, meaningfulLine, parseRemoteImage } from './docker.js';
import { errorMessage, StepError } from './errors.js';
import { PARALLEL_KINDS, type Step } from './plan.js';
import { pushWithRetries } from './push.js';
import { PUSH_RETRY_DELAYS, realSleep, type Sleep } from './retry.js';
import type { CommandResult, CommandRunner } from './runner.js';

/** Where the executor reports progress; main passes @actions/core, tests a recorder. */
export interface Log {
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
}

/** How pushes are retried; tests pass a sleep that does not wait. */
export interface ExecuteOptions {
  retries: number;
  sleep?: Sleep;
  random?: () => number;
}

export interface StepTiming {
  kind: Step['kind'];
  title: string;
  seconds: number;
}

export interface Execution {
  /** Image id from the build's iidfile. */
  imageId: string | undefined;
  /** Digest the registry reported, per pushed reference, in push order. */
  digests: Map<string, string>;
  timings: StepTiming[];
}

const SHOWN_LINES = 20;

function lastLines(result: CommandResult): string {
  return result.tail.slice(-SHOWN_LINES).join('\n');
}

function loginAdvice(step: Step & { kind: 'push' }): string {
  if (step.loggedIn) {
    return `${step.registry} refused the credentials given in \`username\`/\`password\`: check that they may push to this repository.`;
  }
  return (
    `${step.registry} needs a login: this step has no credentials for it. Log in to ${step.registry} in an ` +
    'earlier step (e.g. docker/login-action), or name it in `registry` with `username` and `password`.'
  );
}

function pushedSoFar(execution: Execution, all: Step[]): string {
  const pushed = [...execution.digests.keys()];
  const notPushed = all.flatMap((s) =>
    s.kind === 'push' && !execution.digests.has(s.reference) ? [s.reference] : [],
  );
  return `Pushed: ${pushed.length > 0 ? pushed.join(', ') : 'nothing'}\nNot pushed: ${notPushed.length > 0 ? notPushed.join(', ') : 'nothing'}`;
}

async function check(
  step: Exclude<Step, { kind: 'push' }>,
  result: CommandResult,
  execution: Execution,
  all: Step[],
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
    case 'login':
      if (result.exitCode !== 0) {
        throw new StepError(
          `Login to ${step.registry} failed: ${meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`}. Check \`username\` and \`password\`; nothing was built or pushed.`,
          result.exitCode,
          result.tail,
        );
      }
      return;
    case 'build': {
      if (result.exitCode !== 0) {
        const failing = failingBuildStep(result.tail);
        throw new StepError(
          `Build failed${failing === undefined ? '' : ` at ${failing}`}: ${meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`}; nothing was pushed.`,
          result.exitCode,
          result.tail,
        );
      }
      const imageId = await readFile(step.iidFile, 'utf8').catch(() => '');
      if (imageId.trim() === '') {
        throw new StepError(
          `Build reported success but wrote no image id to ${step.iidFile}; nothing was pushed.`,
          0,
          result.tail,
        );
      }
      execution.imageId = imageId.trim();
      return;
    }
    case 'lookup': {
      let existing;
      try {
        existing = parseRemoteImage(result.stdout, result.exitCode, result.tail, step.buildx);
      } catch (error) {
        log.warning(
          `Could not read what ${step.reference} holds now (${errorMessage(error)}); pushing without the tag collision check.`,
        );
        return;
      }
      const verdict = judgeCollision(
        step.reference,
        existing.found ? { digest: existing.digest, labels: existing.labels } : undefined,
        step.labels,
        step.policy,
      );
      if (verdict.action === 'fail') throw new StepError(verdict.message, 1, result.tail);
      if (verdict.notice !== undefined) log.notice(verdict.notice);
      if (verdict.warning !== undefined) log.warning(verdict.warning);
      if (verdict.info !== undefined) log.info(verdict.info);
      return;
    }
    case 'verify': {
      const pushed = execution.digests.get(step.reference);
      let remote;
      try {
        remote = parseRemoteImage(result.stdout, result.exitCode, result.tail, step.buildx);
      } catch (error) {
        throw new StepError(
          `Could not read back ${step.reference} from the registry: ${errorMessage(error)}`,
          result.exitCode,
          result.tail,
        );
      }
      const held = remote.found ? remote.digest : 'no such tag';
      if (held !== pushed) {
        throw new StepError(
          `The registry holds ${held} for ${step.reference}, but the push reported ${pushed ?? 'nothing'}: another push may have overwritten it.`,
          1,
          result.tail,
        );
      }
      return;
    }
  }
}

function verifyPushedDigestsAgree(execution: Execution): void {
  const distinct = new Set(execution.digests.values());
  if (distinct.size > 1) {
    const listing = [...execution.digests].map(([reference, digest]) => `${reference}: ${digest}`);
    throw new StepError(`The pushed tags of one build report different digests:\n${listing.join('\n')}`, 1);
  }
}

async function runPush(
  step: Step & { kind: 'push' },
  runner: CommandRunner,
  log: Log,
  options: ExecuteOptions,
  execution: Execution,
  all: Step[],
): Promise<void> {
  const outcome = await pushWithRetries(step, runner, {
    policy: { retries: options.retries, ...PUSH_RETRY_DELAYS },
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    info: (message) => {
      log.warning(message);
    },
  });
  if (outcome.pushed) {
    execution.digests.set(step.reference, outcome.digest);
    return;
  }
  const tries = outcome.attempts === 1 ? '' : ` after ${outcome.attempts} attempts`;
  const why = outcome.failure.transient ? tries : `${tries} (not retried: a retry cannot fix this)`;
  const advice = isAuthRefusal(outcome.result.tail) ? `${loginAdvice(step)}\n` : '';
  throw new StepError(
    `Push of ${step.reference} failed${why}: ${outcome.failure.cause}\n${advice}${pushedSoFar(execution, all)}`,
    outcome.result.exitCode,
    outcome.result.tail,
  );
}

async function timed<T>(step: Step, execution: Execution, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await body();
  } finally {
    execution.timings.push({
      kind: step.kind,
      title: step.title,
      seconds: (performance.now() - started) / 1000,
    });
  }
}

/** The steps from `start` on that run together: a run of consecutive lookups or verifications. */
function batchAt(steps: Step[], start: number): Step[] {
  const first = steps[start];
  if (first === undefined || !PARALLEL_KINDS.includes(first.kind)) return first === undefined ? [] : [first];
  let end = start;
  while (steps[end]?.kind === first.kind) end++;
  return steps.slice(start, end);
}

/**
 * Runs the plan in order; the first failing step stops it with a StepError that explains it.
 * Lookups and verifications of several tags run at once; pushes are retried as `options` says.
 */
export async function execute(
  steps: Step[],
  runner: CommandRunner,
  log: Log,
  options: ExecuteOptions = { retries: 0 },
): Promise<Execution> {
  const execution: Execution = { imageId: undefined, digests: new Map(), timings: [] };
  for (let index = 0; index < steps.length;) {
    const batch = batchAt(steps, index);
    index += batch.length;
    const first = batch[0];
    if (first === undefined) break;
    if (first.kind === 'verify') verifyPushedDigestsAgree(execution);
    const title = batch.length === 1 ? first.title : `${first.title} (and ${batch.length - 1} more at once)`;
    await log.group(title, async () => {
      if (first.kind === 'push') {
        await timed(first, execution, () => runPush(first, runner, log, options, execution, steps));
        return;
      }
      const others = batch.filter((step) => step.kind !== 'push');
      const results = await Promise.all(
        others.map((step) => timed(step, execution, () => runner.run(step.command))),
      );
      for (const [i, step] of others.entries()) {
        const result = results[i];
        if (result !== undefined) await check(step, result, execution, steps, log);
      }
    });
  }
  return execution;
}
