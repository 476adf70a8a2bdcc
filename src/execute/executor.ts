import { readFile } from 'node:fs/promises';
import {
  BuildOutputCounter,
  failingBuildStep,
  failingStepOutput,
  isAuthRefusal,
  meaningfulLine,
  missingExecutable,
  parseBuildMetadata,
  type LocalImage,
  type RemoteImage,
} from '../docker/docker.js';
import { formatSeconds, monotonicMs } from '../report/duration.js';
import { errorMessage, StepError } from '../inputs/errors.js';
import { withHeartbeat } from './heartbeat.js';
import { type InterruptGuard, signalGuard } from './interrupt.js';
import {
  formatCommand,
  IN_IMAGE_SHELL,
  PARALLEL_KINDS,
  type Step,
  withImageId,
  withoutCacheFrom,
} from '../plan/plan.js';
import { pushWithRetries } from './push.js';
import { checkLookup, checkPushedDigestsAgree, checkVerify, unchangedInRegistry } from './registry-checks.js';
import { dockerOnly, type PrefetchingReader, type RegistryReader } from '../registry/registry-reader.js';
import { readRemote } from './remote-read.js';
import { localImage, pullCacheImage } from './cache-pull.js';
import type { LocalImageReader } from '../docker/local-images.js';
import { PUSH_RETRY_DELAYS, realSleep, type Sleep } from './retry.js';
import type { Command, CommandResult, CommandRunner, HeldCommand, RunOptions } from './command-runner.js';

/** Where the executor reports progress; main passes @actions/core, tests a recorder. */
export interface Log {
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  /** Shown only with step debug logging (RUNNER_DEBUG). */
  debug(message: string): void;
}

/** How pushes are retried; tests pass a sleep that does not wait. */
export interface ExecuteOptions {
  retries: number;
  /** Reads tags from the registry in-process; without one, every read runs docker. */
  reader?: RegistryReader;
  /** Reads images on this machine without the CLI; without one, docker image inspect runs. */
  images?: LocalImageReader;
  /** Called once the build has produced an image (before the pushes), with its id. */
  onBuilt?: (imageId: string) => void;
  sleep?: Sleep;
  random?: () => number;
}

export interface StepTiming {
  kind: Step['kind'];
  title: string;
  /** The reference a lookup, cache pull, push or read-back was about (the summary's chart names it). */
  reference: string | undefined;
  /** When the step started, in seconds since the execution's `origin`. */
  start: number;
  seconds: number;
}

/** What the run did so far; filled step by step, so a failure leaves what happened before it. */
export interface Execution {
  /** `monotonicMs()` that timings count from. */
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
  /** What the tags to be pushed held before the build, per reference, when they existed. */
  existing: Map<string, RemoteImage & { found: true }>;
  /** The references not pushed because the registry already held the built image there. */
  alreadyInRegistry: string[];
  /** The tags the lookups found missing from the registry. */
  missing: string[];
}

export function newExecution(origin = monotonicMs()): Execution {
  return {
    origin,
    imageId: undefined,
    digests: new Map(),
    timings: [],
    buildOutput: new BuildOutputCounter(),
    failedStep: undefined,
    cachePulled: [],
    existing: new Map(),
    alreadyInRegistry: [],
    missing: [],
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

function pushedSoFar(execution: Execution, all: Step[]): string {
  const pushed = [...execution.digests.keys()];
  const notPushed = all.flatMap((s) =>
    s.kind === 'push' && !execution.digests.has(s.reference) ? [s.reference] : [],
  );
  return `Pushed: ${pushed.length > 0 ? pushed.join(', ') : 'nothing'}\nNot pushed: ${notPushed.length > 0 ? notPushed.join(', ') : 'nothing'}`;
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

async function check(
  step: Exclude<Step, RegistryStep | { kind: 'push' }>,
  result: CommandResult,
  execution: Execution,
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
      if (result.exitCode === 0) execution.cachePulled.push(step.reference);
      else {
        log.info(
          `No cache from ${step.reference} (${meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`}); normal for a new branch or a first build.`,
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
  }
}

type RegistryStep = Step & { kind: 'lookup' | 'verify' };

function isRegistryStep(step: Step): step is RegistryStep {
  return step.kind === 'lookup' || step.kind === 'verify';
}

/** What every step of one execution shares. */
interface Run {
  runner: CommandRunner;
  reader: RegistryReader;
  log: Log;
  execution: Execution;
  guard: InterruptGuard;
  options: ExecuteOptions;
  /** The whole plan, for messages that list what was and was not pushed. */
  steps: Step[];
  /** The first cache image's local check, started while the lookups read the registry. */
  localCheck?: Promise<LocalImage | undefined>;
  /** The build's CLI, started early and waiting for its Dockerfile (see holdBuild). */
  heldBuild?: HeldCommand;
}

/**
 * Runs the in-image test on the built image and removes its container afterwards: when the test
 * passed, failed, or the run was interrupted (`--rm` alone leaves it behind if the CLI is killed).
 */
async function runInImage(
  step: Step & { kind: 'test-in-image' },
  { runner, log, guard, execution }: Run,
  options: RunOptions,
): Promise<CommandResult> {
  const imageId = execution.imageId;
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

/** Runs one step's work with a heartbeat while it is silent, and records how long it took. */
async function timed<T>(step: Step, run: Run, body: (options: RunOptions) => Promise<T>): Promise<T> {
  const { log, execution } = run;
  const started = monotonicMs();
  const result = await withHeartbeat(
    step.title,
    (message) => {
      log.info(message);
    },
    (heard) =>
      body({
        onLine: (line) => {
          heard(line);
          if (step.kind === 'build') execution.buildOutput.add(line);
        },
      }),
  );
  const seconds = (monotonicMs() - started) / 1000;
  execution.timings.push({
    kind: step.kind,
    title: step.title,
    reference: 'reference' in step ? step.reference : undefined,
    start: (started - execution.origin) / 1000,
    seconds,
  });
  log.debug(`${step.title}: done after ${formatSeconds(seconds)}`);
  return result;
}

/**
 * The build without the cache sources known to be of no use: tags the lookups found missing, and
 * those after the first that exists (the pulls stop there too).
 */
function buildCommand(step: Step & { kind: 'build' }, { execution }: Run): Command {
  const { cachePulled, existing, missing } = execution;
  const closest = step.cacheImages.findIndex(
    (reference) => existing.has(reference) || cachePulled.includes(reference),
  );
  const useless = step.cacheImages.filter(
    (reference, index) => missing.includes(reference) || (closest !== -1 && index > closest),
  );
  return useless.length === 0 ? step.command : withoutCacheFrom(step, useless);
}

/**
 * The classic builder's CLI reads the Dockerfile from stdin, and waits there once it has started up
 * and looked at the context. It is started as soon as no step before the build can change what it
 * reads (tests may write into the context, a login writes the config it loads at start), so its
 * start-up overlaps the lookups and cache pulls. It is started with the cache sources the build has
 * when the first cache image is found; the build runs anew when its command turns out otherwise.
 */
function holdBuild(run: Run, next: number): void {
  if (run.heldBuild !== undefined || run.runner.hold === undefined) return;
  const at = run.steps.findIndex((step) => step.kind === 'build');
  const build = run.steps[at];
  if (build?.kind !== 'build' || at < next || build.command.input === undefined) return;
  if (run.steps.slice(next, at).some((step) => step.kind === 'test' || step.kind === 'login')) return;
  run.heldBuild = run.runner.hold(withoutCacheFrom(build, build.cacheImages.slice(1)));
}

const sameCommand = (a: Command, b: Command): boolean =>
  JSON.stringify([a.program, a.args, a.cwd, a.env, a.input]) ===
  JSON.stringify([b.program, b.args, b.cwd, b.env, b.input]);

/** Runs the build through its held CLI when that was started with this very command. */
function runBuild(command: Command, run: Run, options: RunOptions): Promise<CommandResult> {
  const held = run.heldBuild;
  run.heldBuild = undefined;
  if (held !== undefined && sameCommand(held.command, command)) {
    run.log.debug('The build runs in the docker CLI started during the lookups.');
    return held.run(options);
  }
  if (held !== undefined) {
    held.cancel();
    run.log.debug('The docker CLI started during the lookups was stopped: the cache sources changed.');
  }
  return run.runner.run(command, options);
}

async function runStep(step: Step, run: Run): Promise<CommandResult> {
  const { runner, log } = run;
  const command = step.kind === 'build' ? buildCommand(step, run) : step.command;
  log.debug(`Command: ${formatCommand(command)}${command.cwd ? ` (in ${command.cwd})` : ''}`);
  const result = await timed(step, run, async (options) => {
    if (step.kind === 'test-in-image') return runInImage(step, run, options);
    if (step.kind === 'cache-pull') {
      return pullCacheImage(
        step,
        runner,
        run.execution,
        log,
        options,
        step.fallback ? undefined : run.localCheck,
        run.options.images,
      );
    }
    if (step.kind === 'build') return runBuild(command, run, options);
    return runner.run(command, options);
  });
  log.debug(`${step.title}: exit code ${result.exitCode}`);
  return result;
}

/** Pushes one reference, each attempt run like any step; retries transient failures. */
async function runPush(step: Step & { kind: 'push' }, run: Run): Promise<void> {
  const { log, execution, options } = run;
  const outcome = await pushWithRetries(step, () => runStep(step, run), {
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
    `Push of ${step.reference} failed${why}: ${outcome.failure.cause}\n${advice}${pushedSoFar(execution, run.steps)}`,
    outcome.result.exitCode,
    outcome.result.tail,
  );
}

/** The steps from `start` on that run together: a run of consecutive lookups or verifications. */
function batchAt(steps: Step[], start: number): Step[] {
  const first = steps[start];
  if (first === undefined) return [];
  if (!PARALLEL_KINDS.includes(first.kind)) return [first];
  let end = start;
  while (steps[end]?.kind === first.kind) end++;
  return steps.slice(start, end);
}

/** Reads several tags at once: the collision lookups before the build, or the read-backs after the pushes. */
async function readBatch(batch: RegistryStep[], run: Run): Promise<void> {
  const { execution, log } = run;
  if (batch[0]?.kind === 'verify') checkPushedDigestsAgree(execution.digests);
  const edges = {
    reader: run.reader,
    runner: run.runner,
    info: (message: string) => {
      log.info(message);
    },
    debug: (message: string) => {
      log.debug(message);
    },
  };
  const outcomes = await Promise.all(
    batch.map((step) => timed(step, run, (options) => readRemote(step, edges, options))),
  );
  for (const [index, step] of batch.entries()) {
    const outcome = outcomes[index];
    if (outcome === undefined) continue;
    try {
      if (step.kind === 'verify') checkVerify(step, outcome, execution.digests);
      else {
        const existing = checkLookup(step, outcome, log);
        if (existing !== undefined) execution.existing.set(step.reference, existing);
        if (outcome.image?.found === false) execution.missing.push(step.reference);
      }
    } catch (error) {
      execution.failedStep = step;
      throw error;
    }
  }
}

async function runBatch(batch: Step[], run: Run): Promise<void> {
  const first = batch[0];
  if (first === undefined) return;
  if (first.kind === 'push') {
    await runPush(first, run);
    return;
  }
  if (isRegistryStep(first)) {
    await readBatch(batch.filter(isRegistryStep), run);
    return;
  }
  const result = await runStep(first, run);
  try {
    await check(first, result, run.execution, run.log);
  } catch (error) {
    run.execution.failedStep = first;
    throw error;
  }
}

/**
 * After the build: when every tag to push already holds the built image, pushing would upload
 * nothing and rewrite the same tags, so the pushes are skipped, and with them the read-backs.
 */
function skipUnchangedPushes(steps: Step[], execution: Execution, log: Log): void {
  const pushes = steps.flatMap((step) => (step.kind === 'push' ? [step.reference] : []));
  const held = unchangedInRegistry(pushes, execution.existing, execution.imageId);
  if (held === undefined) return;
  for (const [reference, digest] of held) execution.digests.set(reference, digest);
  execution.alreadyInRegistry = pushes;
  log.info(
    `Not pushing ${pushes.join(', ')}: the registry already holds this very image (${[...new Set(held.values())].join(', ')}), so a push would change nothing.`,
  );
}

/**
 * Starts the reads of the lookups the plan begins with, before `execute` runs (while the resolve
 * phase prints its log). Tests or a login before them come first: a login changes what a read sees.
 */
export function prefetchFirstLookups(steps: Step[], reader: PrefetchingReader): void {
  for (const step of steps) {
    if (step.kind !== 'lookup') return;
    reader.prefetch(step.reference, step.remote);
  }
}

/** Reads the first cache image's local state (a local read) while the lookups read the registry. */
function startLocalCheck(run: Run): void {
  const pull = run.steps.find((step) => step.kind === 'cache-pull');
  if (pull?.kind !== 'cache-pull' || run.localCheck !== undefined) return;
  run.localCheck = localImage(pull, run.runner, run.options.images);
}

/**
 * Runs the plan in order, recording into `execution`; the first failing step stops it with a
 * StepError that explains it, and is left in `execution.failedStep`. Lookups and read-backs of
 * several tags run at once; pushes are retried as `options` says.
 */
export async function execute(
  steps: Step[],
  runner: CommandRunner,
  log: Log,
  execution: Execution = newExecution(),
  guard: InterruptGuard = signalGuard,
  options: ExecuteOptions = { retries: 0 },
): Promise<Execution> {
  const run: Run = { runner, reader: options.reader ?? dockerOnly, log, execution, guard, options, steps };
  try {
    await runSteps(run);
  } finally {
    run.heldBuild?.cancel(); // the run stopped before the build: its CLI has read nothing yet
  }
  return execution;
}

async function runSteps(run: Run): Promise<void> {
  const { steps, execution, log, options } = run;
  for (let index = 0; index < steps.length;) {
    holdBuild(run, index);
    const batch = batchAt(steps, index);
    index += batch.length;
    const first = batch[0];
    if (first === undefined) break;
    if (first.kind === 'push' && execution.alreadyInRegistry.includes(first.reference)) continue;
    const readBacks = batch.filter(isRegistryStep).map((step) => step.reference);
    if (first.kind === 'verify' && readBacks.every((ref) => execution.alreadyInRegistry.includes(ref))) {
      // Nothing was pushed: the digests are the ones the lookups read moments ago.
      log.info(`Not read back: nothing was pushed, and the lookup read ${readBacks.join(', ')} just now.`);
      continue;
    }
    if (first.kind === 'cache-pull' && execution.missing.includes(first.reference)) {
      log.info(
        `Skipped pulling ${first.reference}: the registry has no such tag yet (normal for a new branch).`,
      );
      continue;
    }
    if (first.kind === 'cache-pull' && first.fallback && execution.cachePulled.length > 0) {
      log.info(
        `Skipped pulling ${first.reference}: ${execution.cachePulled.join(', ')} is the closer cache.`,
      );
      continue;
    }
    if (first.kind === 'lookup') startLocalCheck(run);
    const title = batch.length === 1 ? first.title : `${first.title} (and ${batch.length - 1} more at once)`;
    await log.group(title, async () => {
      try {
        await runBatch(batch, run);
      } catch (error) {
        execution.failedStep ??= first;
        throw error;
      }
    });
    if (first.kind === 'build' && execution.imageId !== undefined) {
      options.onBuilt?.(execution.imageId);
      skipUnchangedPushes(steps, execution, log);
    }
  }
}
