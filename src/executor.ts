import { readFile } from 'node:fs/promises';
import { failingBuildStep, meaningfulLine, parseBuildMetadata, parsePushDigest } from './docker.js';
import { StepError } from './errors.js';
import type { Step } from './plan.js';
import type { CommandResult, CommandRunner } from './runner.js';

/** Where the executor reports progress; main passes @actions/core, tests a recorder. */
export interface Log {
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
  info(message: string): void;
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
  /** Registry cache images the classic builder pulled (buildx reads its cache from the registry). */
  cachePulled: string[];
}

const SHOWN_LINES = 20;

function lastLines(result: CommandResult): string {
  return result.tail.slice(-SHOWN_LINES).join('\n');
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
  return new StepError(
    `Push of ${step.reference} failed: ${reason}\n` +
      `Pushed: ${pushed.length > 0 ? pushed.join(', ') : 'nothing'}\nNot pushed: ${notPushed.join(', ')}`,
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
    case 'login':
      if (result.exitCode !== 0) {
        throw new StepError(
          `Login to ${step.registry} failed: ${meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`}. Check \`username\` and \`password\`; nothing was built or pushed.`,
          result.exitCode,
          result.tail,
        );
      }
      return;
    case 'cache-pull':
      if (result.exitCode === 0) execution.cachePulled.push(step.reference);
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
    case 'push': {
      const tag = step.reference.slice(step.reference.lastIndexOf(':') + 1);
      const digest = result.exitCode === 0 ? parsePushDigest(result.tail, tag) : undefined;
      if (digest === undefined) throw pushFailure(step, result, execution, all);
      execution.digests.set(step.reference, digest);
      return;
    }
  }
}

/** Runs the plan in order; the first failing step stops it with a StepError that explains it. */
export async function execute(steps: Step[], runner: CommandRunner, log: Log): Promise<Execution> {
  const execution: Execution = { imageId: undefined, digests: new Map(), timings: [], cachePulled: [] };
  for (const step of steps) {
    if (step.kind === 'cache-pull' && step.fallback && execution.cachePulled.length > 0) {
      log.info(`Skipped pulling ${step.reference}: ${execution.cachePulled.join(', ')} is the closer cache.`);
      continue;
    }
    await log.group(step.title, async () => {
      const started = performance.now();
      const result = await runner.run(step.command);
      if (step.kind === 'cache-pull' && result.exitCode !== 0) {
        log.info(
          `No cache from ${step.reference} (${meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`}); normal for a new branch or a first build.`,
        );
      }
      execution.timings.push({
        kind: step.kind,
        title: step.title,
        seconds: (performance.now() - started) / 1000,
      });
      await check(step, result, execution, steps);
    });
  }
  return execution;
}
