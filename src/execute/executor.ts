import { parseImageRef } from '../shared/image-reference.js';
import type { CommitAncestry } from '../context/ancestry.js';
import { meaningfulLine } from '../docker/failure-lines.js';
import { formatSeconds } from '../shared/duration.js';
import { errorMessage, StepError } from '../shared/errors.js';
import { withHeartbeat } from './heartbeat.js';
import { type InterruptGuard, signalGuard } from './interrupt.js';
import {
  type CommandStep,
  formatCommand,
  type Step,
  withImageId,
  withoutCacheFrom,
  withoutPushedTags,
} from '../plan/plan.js';
import { indexWithoutKeptTags } from '../plan/merge-plan.js';
import { pushReference } from './push.js';
import { pushIndex } from './index-push.js';
import { buildAndPush, isPushingBuild } from './build-push.js';
import { findPlatformImages, type PlatformImageStep } from './platform-find.js';
import type { PushRetries } from './retry-loop.js';
import type { RegistryReader } from '../registry/registry-reader.js';
import { cachePullSkip, pullCacheImage } from './cache-pull.js';
import { checkSize } from './size-check.js';
import { PUSH_RETRY_DELAYS, realSleep, type Sleep } from './retry.js';
import { BuildOutputCounter } from '../docker/build-output.js';
import type { Command, CommandResult, CommandRunner, RunOptions } from '../shared/command.js';
import { ACTIVITIES, type RunRecord, newRunRecord } from '../record/run-record.js';
import { type Log } from '../shared/log.js';
import { check } from './step-checks.js';
import { endTestProcesses } from './test-session.js';
import { withPushDeadline } from './push-deadline.js';
import { localImageId } from './built-image.js';
import { batchAt, isRegistryStep, readBatch, skipUnchangedPushes } from './registry-batch.js';
import { type Beside, finishBeside, runsBeside, startBeside } from './beside.js';

/** How pushes are retried, and what the executor reads and calls back; tests pass a sleep that does not wait. */
export interface ExecuteOptions {
  retries: number;
  /** Reads tags from the registry (every lookup, read-back and size check). */
  reader: RegistryReader;
  /** Whether one commit contains another: a branch's tag never moves back to an older commit. */
  ancestry?: CommitAncestry;
  /** Called once the build has produced an image (before the pushes), with its id. */
  onBuilt?: (imageId: string) => void;
  sleep?: Sleep;
  random?: () => number;
}

/** What every step of one execution shares. */
interface Run {
  runner: CommandRunner;
  reader: RegistryReader;
  log: Log;
  record: RunRecord;
  guard: InterruptGuard;
  options: ExecuteOptions;
  /** The whole plan, for messages that list what was and was not pushed. */
  steps: Step[];
}

/**
 * Runs the in-image test on the built image and removes its container afterwards: when the test
 * passed, failed, or the run was interrupted (`--rm` alone leaves it behind if the CLI is killed).
 */
async function runInImage(
  step: Step & { kind: 'test-in-image' },
  { runner, log, guard, record }: Run,
  options: RunOptions,
): Promise<CommandResult> {
  const imageId = record.imageId;
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

/**
 * Runs the test command, then ends what it left running (a server, a detached loop) before the
 * next step logs in: also when the test failed, or the run is interrupted meanwhile.
 */
async function runTest(
  step: Step & { kind: 'test' },
  { runner, log, guard }: Run,
  options: RunOptions,
): Promise<CommandResult> {
  const sessionFile = step.command.sessionFile;
  const end = async (): Promise<void> => {
    if (sessionFile === undefined) return;
    const ended = await endTestProcesses(sessionFile);
    if (ended > 0) {
      const processes = ended === 1 ? '1 process' : `${ended} processes`;
      log.info(`Ended ${processes} the test command left running, before anything logs in.`);
    }
  };
  try {
    return await guard.protect(end, () => runner.run(step.command, options));
  } finally {
    await end();
  }
}

/** Runs one step's work with a heartbeat while it is silent, and records how long it took. */
async function timed<T>(step: Step, run: Run, body: (options: RunOptions) => Promise<T>): Promise<T> {
  const { log, record } = run;
  const started = performance.now();
  const buildOutput = new BuildOutputCounter();
  const result = await withHeartbeat(
    step.title,
    (message) => {
      log.info(message);
    },
    (heard) =>
      body({
        onLine: (line) => {
          heard(line);
          if (step.kind === 'build') {
            buildOutput.add(line);
            record.buildSteps.add(line);
          }
        },
      }),
  );
  if (step.kind === 'build') {
    record.cache = buildOutput.cache();
    record.lastClassicStep = buildOutput.lastClassicStep();
  }
  const seconds = (performance.now() - started) / 1000;
  record.phases.push({
    activity: ACTIVITIES[step.kind],
    title: step.title,
    tag: 'reference' in step ? parseImageRef(step.reference).tag : undefined,
    start: (started - record.origin) / 1000,
    seconds,
  });
  log.debug(`${step.title}: done after ${formatSeconds(seconds)}`);
  return result;
}

/**
 * The build without the cache sources known to be of no use: tags the lookups found missing, and
 * those after the first that exists (the pulls stop there too).
 */
function buildCommand(step: Step & { kind: 'build' }, { record }: Run): Command {
  const { cachePulled, existing, missing } = record;
  const closest = step.cacheImages.findIndex(
    (reference) => existing.has(reference) || cachePulled.includes(reference),
  );
  const useless = step.cacheImages.filter(
    (reference, index) => missing.includes(reference) || (closest !== -1 && index > closest),
  );
  return useless.length === 0 ? step.command : withoutCacheFrom(step, useless);
}

/**
 * The build, under `push-timeout` for the parts of it that talk to a registry themselves (see
 * push-deadline.ts). A cache export stopped there is recorded and warned about; the build check
 * decides whether the build stands.
 */
async function runBuild(
  step: Step & { kind: 'build' },
  command: Command,
  { runner, guard, record, log }: Run,
  options: RunOptions,
): Promise<CommandResult> {
  const { sessionFile } = command;
  const { pushTimeoutSeconds, cacheExportTimeoutSeconds } = step;
  if (sessionFile === undefined || (pushTimeoutSeconds ?? cacheExportTimeoutSeconds) === undefined)
    return runner.run(command, options);
  const deadline = {
    pushSeconds: pushTimeoutSeconds,
    cacheExportSeconds: cacheExportTimeoutSeconds,
    sessionFile,
  };
  // In a session of its own, the build would outlive an interrupted run: end it then too.
  const result = await guard.protect(
    async () => {
      await endTestProcesses(sessionFile);
    },
    () => withPushDeadline(deadline, options, (watched) => runner.run(command, watched)),
  );
  if (result.cacheExportStopped === true && cacheExportTimeoutSeconds !== undefined) {
    const target = step.cacheExport ?? 'the `cache-to` registry';
    record.cacheExportStopped = { target, seconds: cacheExportTimeoutSeconds };
    if (step.cacheExportOptional === true) {
      log.warning(
        `The registry cache export to ${target} was stopped after ${cacheExportTimeoutSeconds} s (\`push-timeout\`). The image was made before it and is judged on its own; the next run reads an older cache, or none.`,
      );
    }
  }
  return result;
}

async function runStep(step: CommandStep, run: Run): Promise<CommandResult> {
  const { runner, log } = run;
  const command = step.kind === 'build' ? buildCommand(step, run) : step.command;
  log.debug(`Command: ${formatCommand(command)}${command.cwd ? ` (in ${command.cwd})` : ''}`);
  const result = await timed(step, run, (options) => {
    if (step.kind === 'test') return runTest(step, run, options);
    if (step.kind === 'test-in-image') return runInImage(step, run, options);
    if (step.kind === 'cache-pull') return pullCacheImage(step, runner, run.record, log, options);
    if (step.kind === 'size-check') return checkSize(step, runner, run.reader, run.record, log);
    if (step.kind === 'build') return runBuild(step, command, run, options);
    return runner.run(command, options);
  });
  log.debug(`${step.title}: exit code ${result.exitCode}`);
  return result;
}

/** How every push of the run is retried: the `retries` input, each retry a warning. */
function pushRetries({ options, log }: Run): PushRetries {
  return {
    policy: { retries: options.retries, ...PUSH_RETRY_DELAYS },
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    info: (message: string) => {
      log.warning(message);
    },
  };
}

function isPlatformImageStep(step: Step): step is PlatformImageStep {
  return step.kind === 'platform-image';
}

async function runBatch(batch: Step[], run: Run): Promise<void> {
  const first = batch[0];
  if (first === undefined) return;
  if (first.kind === 'push') {
    await pushReference(first, () => runStep(first, run), pushRetries(run), run.record, run.steps);
    return;
  }
  if (first.kind === 'index') {
    await pushIndex(first, {
      runChecked: (command) => timed(first, run, (options) => run.runner.run(command, options)),
      record: run.record,
      log: run.log,
      retries: pushRetries(run),
    });
    return;
  }
  if (first.kind === 'platform-image') {
    await findPlatformImages(batch.filter(isPlatformImageStep), {
      reader: run.reader,
      timed: (step, body) => timed(step, run, body),
    });
    return;
  }
  if (isRegistryStep(first)) {
    await readBatch(batch.filter(isRegistryStep), {
      ...run,
      ancestry: run.options.ancestry,
      timed: (step, body) => timed(step, run, body),
    });
    return;
  }
  const result = isPushingBuild(first)
    ? await buildAndPush(first, () => runStep(first, run), pushRetries(run))
    : await runStep(first, run);
  try {
    await check(first, result, run.record, run.log);
    if (first.kind === 'build' && first.loadedId !== undefined) await useLoadedId(first.loadedId, run);
  } catch (error) {
    run.record.failedStep = first;
    throw error;
  }
}

/** The image id as the daemon holds the image just built (see the build step's `loadedId`). */
async function useLoadedId(command: Command, { runner, record }: Run): Promise<void> {
  const id = await localImageId(runner, command);
  if (id !== undefined) record.imageId = id;
}

/**
 * The steps of a batch that still have work: no push or read-back of a moving tag the lookups left
 * where it is (their notice said so); a build that pushes itself leaves those tags out too.
 */
function liveSteps(batch: Step[], record: RunRecord): Step[] {
  const { kept } = record;
  if (kept.length === 0) return batch;
  return batch.flatMap((step): Step[] => {
    if ((step.kind === 'push' || step.kind === 'verify') && kept.includes(step.reference)) return [];
    if (step.kind === 'index') return indexWithoutKeptTags(step, kept);
    return step.kind === 'build' ? [withoutPushedTags(step, kept)] : [step];
  });
}

/** Why the batch starting with `first` does not run, from what the run found so far; undefined: it runs. */
function skipReason(first: Step, batch: Step[], record: RunRecord): string | undefined {
  const { alreadyInRegistry } = record;
  if (first.kind === 'push' && alreadyInRegistry.includes(first.reference)) return ''; // said once, for all
  if (first.kind === 'cache-pull') return cachePullSkip(first, record);
  if (first.kind === 'size-check' && alreadyInRegistry.length > 0) {
    // Only a push can make the registry's image bigger; `max-size-increase` has nothing to stop.
    return 'No size comparison: nothing is pushed, the registry already holds this image.';
  }
  const readBacks = batch.filter(isRegistryStep).map((step) => step.reference);
  if (first.kind === 'verify' && readBacks.every((reference) => alreadyInRegistry.includes(reference))) {
    // Nothing was pushed: the digests are the ones the lookups read moments ago.
    return `Not read back: nothing was pushed, and the lookup read ${readBacks.join(', ')} just now.`;
  }
  return undefined;
}

/**
 * Runs the plan in order, recording into `record`; the first failing step stops it with a
 * StepError that explains it, and is left in `record.failedStep`. Lookups and read-backs of
 * several tags run at once; pushes are retried as `options` says.
 */
export async function execute(
  steps: Step[],
  runner: CommandRunner,
  log: Log,
  record: RunRecord = newRunRecord(),
  guard: InterruptGuard = signalGuard,
  options: ExecuteOptions,
): Promise<RunRecord> {
  const run: Run = { runner, reader: options.reader, log, record, guard, options, steps };
  const besides: Beside[] = [];
  for (let index = 0; index < steps.length;) {
    const planned = batchAt(steps, index);
    index += planned.length;
    const batch = liveSteps(planned, record);
    const first = batch[0];
    if (first === undefined) continue;
    const skip = skipReason(first, batch, record);
    if (skip !== undefined) {
      if (skip !== '') log.info(skip);
      continue;
    }
    if (runsBeside(first, steps)) {
      besides.push(startBeside(first, (own) => runBatch(batch, { ...run, log: own })));
      continue;
    }
    const title = batch.length === 1 ? first.title : `${first.title} (and ${batch.length - 1} more at once)`;
    await log.group(title, async () => {
      try {
        await runBatch(batch, run);
      } catch (error) {
        record.failedStep ??= first;
        throw error;
      }
    });
    if (first.kind === 'build' && record.imageId !== undefined) {
      options.onBuilt?.(record.imageId);
      await skipUnchangedPushes(steps, record, runner, log);
    }
  }
  for (const beside of besides) {
    try {
      await finishBeside(beside, log);
    } catch (error) {
      record.failedStep ??= beside.step;
      throw error;
    }
  }
  return record;
}
