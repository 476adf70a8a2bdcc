import { readFile } from 'node:fs/promises';
import {
  BuildOutputCounter,
  failingBuildStep,
  isAuthRefusal,
  meaningfulLine,
  missingExecutable,
  parseBuildMetadata,
  parsePushDigest,
} from './docker.js';
import { formatSeconds } from './duration.js';
import { errorMessage, StepError } from './errors.js';
import { withHeartbeat } from './heartbeat.js';
import { type InterruptGuard, signalGuard } from './interrupt.js';
import { formatCommand, IN_IMAGE_SHELL, type Step, withImageId } from './plan.js';
import type { CommandResult, CommandRunner, RunOptions } from './runner.js';

/** Where the executor reports progress; main passes @actions/core, tests a recorder. */
export interface Log {
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
  info(message: string): void;
  /** Shown only with step debug logging (RUNNER_DEBUG). */
  debug(message: string): void;
}

export interface StepTiming {
  kind: Step['kind'];
  title: string;
  /** When the step started, in seconds since the execution's `origin`. */
  start: number;
  seconds: number;
}

/** What the run did so far; filled step by step, so a failure leaves what happened before it. */
export interface Execution {
  /** `performance.now()` that timings count from. */
  origin: number;
  /** Image id from the build's iidfile. */
  imageId: string | undefined;
  /** Digest the registry reported, per pushed reference, in push order. */
  digests: Map<string, string>;
  timings: StepTiming[];
  /** Counts the build's steps and cache hits while it prints. */
  buildOutput: BuildOutputCounter;
  /** The step that failed, when one did. */
  failedStep: Step | undefined;
  /** Registry cache images pulled before the build. */
  cachePulled: string[];
}

export function newExecution(origin = performance.now()): Execution {
  return {
    origin,
    imageId: undefined,
    digests: new Map(),
    timings: [],
    buildOutput: new BuildOutputCounter(),
    failedStep: undefined,
    cachePulled: [],
  };
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

function pushFailure(
  step: Step & { kind: 'push' },
  result: CommandResult,
  execution: Execution,
  all: Step[],
): StepError {
  const pushed = [...execution.digests.keys()];
  const notPushed = all
    .filter((s) => s.kind === 'push' && !execution.digests.has(s.reference))
    .map((s) => (s as { reference: string }).reference);
  const reason = meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`;
  const advice = isAuthRefusal(result.tail) ? `${loginAdvice(step)}\n` : '';
  return new StepError(
    `Push of ${step.reference} failed: ${reason}\n${advice}` +
      `Pushed: ${pushed.length > 0 ? pushed.join(', ') : 'nothing'}\nNot pushed: ${notPushed.join(', ')}`,
    result.exitCode,
    result.tail,
  );
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

async function check(step: Step, result: CommandResult, execution: Execution, all: Step[]): Promise<void> {
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
      if (result.exitCode === 0) execution.cachePulled.push(step.reference);
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
      const imageId = (await readFile(step.iidFile, 'utf8').catch(() => '')).trim();
      if (step.output === 'push') {
        const digest = parseBuildMetadata(await readFile(step.metadataFile, 'utf8').catch(() => ''));
        if (digest === undefined) {
          throw new StepError(
            `buildx reported success but recorded no pushed digest in ${step.metadataFile}.`,
            0,
            result.tail,
          );
        }
        for (const reference of step.pushes) execution.digests.set(reference, digest);
      } else if (step.output === 'load' && imageId === '') {
        throw new StepError(
          `Build reported success but wrote no image id to ${step.iidFile}; nothing was pushed.`,
          0,
          result.tail,
        );
      }
      execution.imageId = imageId || undefined;
      return;
    }
    case 'test-in-image':
      if (result.exitCode !== 0) throw inImageFailure(result);
      return;
    case 'push': {
      const tag = step.reference.slice(step.reference.lastIndexOf(':') + 1);
      const digest = result.exitCode === 0 ? parsePushDigest(result.tail, tag) : undefined;
      if (digest === undefined) throw pushFailure(step, result, execution, all);
      execution.digests.set(step.reference, digest);
      return;
    }
  }
}

/**
 * Runs the in-image test on the built image and removes its container afterwards: when the test
 * passed, failed, or the run was interrupted (`--rm` alone leaves it behind if the CLI is killed).
 */
async function runInImage(
  step: Step & { kind: 'test-in-image' },
  imageId: string | undefined,
  runner: CommandRunner,
  log: Log,
  guard: InterruptGuard,
  options: RunOptions,
): Promise<CommandResult> {
  if (imageId === undefined)
    throw new StepError('The in-image test needs the image id of a build before it.', 1);
  const remove = async (): Promise<void> => {
    let problem: string | undefined;
    try {
      const removal = await runner.run(step.cleanup, { silent: true });
      if (removal.exitCode !== 0) problem = meaningfulLine(removal.tail) ?? `exit code ${removal.exitCode}`;
    } catch (error) {
      problem = errorMessage(error);
    }
    if (problem !== undefined) log.info(`Could not remove container ${step.container}: ${problem}`);
  };
  try {
    return await guard.protect(remove, () => runner.run(withImageId(step, imageId), options));
  } finally {
    await remove();
  }
}

async function runStep(
  step: Step,
  runner: CommandRunner,
  log: Log,
  execution: Execution,
  guard: InterruptGuard,
): Promise<CommandResult> {
  log.debug(`Command: ${formatCommand(step.command)}${step.command.cwd ? ` (in ${step.command.cwd})` : ''}`);
  const started = performance.now();
  const result = await withHeartbeat(
    step.title,
    (message) => {
      log.info(message);
    },
    (heard) => {
      const options: RunOptions = {
        onLine: (line) => {
          heard(line);
          if (step.kind === 'build') execution.buildOutput.add(line);
        },
      };
      return step.kind === 'test-in-image'
        ? runInImage(step, execution.imageId, runner, log, guard, options)
        : runner.run(step.command, options);
    },
  );
  const seconds = (performance.now() - started) / 1000;
  execution.timings.push({
    kind: step.kind,
    title: step.title,
    start: (started - execution.origin) / 1000,
    seconds,
  });
  log.debug(`${step.title}: exit code ${result.exitCode} after ${formatSeconds(seconds)}`);
  return result;
}

/**
 * Runs the plan in order, recording into `execution`; the first failing step stops it with a
 * StepError that explains it, and is left in `execution.failedStep`.
 */
export async function execute(
  steps: Step[],
  runner: CommandRunner,
  log: Log,
  execution: Execution = newExecution(),
  guard: InterruptGuard = signalGuard,
): Promise<Execution> {
  for (const step of steps) {
    if (step.kind === 'cache-pull' && step.fallback && execution.cachePulled.length > 0) {
      log.info(`Skipped pulling ${step.reference}: ${execution.cachePulled.join(', ')} is the closer cache.`);
      continue;
    }
    await log.group(step.title, async () => {
      const result = await runStep(step, runner, log, execution, guard);
      if (step.kind === 'cache-pull' && result.exitCode !== 0) {
        log.info(
          `No cache from ${step.reference} (${meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`}); normal for a new branch or a first build.`,
        );
      }
      try {
        await check(step, result, execution, steps);
      } catch (error) {
        execution.failedStep = step;
        throw error;
      }
    });
  }
  return execution;
}
