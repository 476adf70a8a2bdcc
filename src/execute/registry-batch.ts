// The registry reads of a plan, several at once: the collision lookups before the build and the
// read-backs after the pushes; and what the lookups spare (pushes of tags that hold the image already).
import { checkLookup, checkPushedDigestsAgree, checkVerify, unchangedInRegistry } from './registry-checks.js';
import type { Execution, Log } from './execution.js';
import { PARALLEL_KINDS, type Step } from '../plan/plan.js';
import type { CommandRunner, RunOptions } from '../plan/command.js';
import type { RegistryReader } from '../registry/registry-reader.js';
import { readRemote } from './remote-read.js';
import type { RemoteOutcome } from './registry-checks.js';

export type RegistryStep = Step & { kind: 'lookup' | 'verify' };

export function isRegistryStep(step: Step): step is RegistryStep {
  return step.kind === 'lookup' || step.kind === 'verify';
}

/** What a batch of reads needs of the run. */
export interface BatchRun {
  reader: RegistryReader;
  runner: CommandRunner;
  log: Log;
  execution: Execution;
  /** Runs one read as a step: heartbeat and timing. */
  timed: (step: Step, body: (options: RunOptions) => Promise<RemoteOutcome>) => Promise<RemoteOutcome>;
}

/** The steps from `start` on that run together: a run of consecutive lookups or verifications. */
export function batchAt(steps: Step[], start: number): Step[] {
  const first = steps[start];
  if (first === undefined) return [];
  if (!PARALLEL_KINDS.includes(first.kind)) return [first];
  let end = start;
  while (steps[end]?.kind === first.kind) end++;
  return steps.slice(start, end);
}

/** Reads several tags at once: the collision lookups before the build, or the read-backs after the pushes. */
export async function readBatch(batch: RegistryStep[], run: BatchRun): Promise<void> {
  const { execution, log, timed } = run;
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
    batch.map((step) => timed(step, (options) => readRemote(step, edges, options))),
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

/**
 * After the build: when every tag to push already holds the built image, pushing would upload
 * nothing and rewrite the same tags, so the pushes are skipped, and with them the read-backs.
 */
export function skipUnchangedPushes(steps: Step[], execution: Execution, log: Log): void {
  const pushes = steps.flatMap((step) => (step.kind === 'push' ? [step.reference] : []));
  const held = unchangedInRegistry(pushes, execution.existing, execution.imageId);
  if (held === undefined) return;
  for (const [reference, digest] of held) execution.digests.set(reference, digest);
  execution.alreadyInRegistry = pushes;
  log.info(
    `Not pushing ${pushes.join(', ')}: the registry already holds this very image (${[...new Set(held.values())].join(', ')}), so a push would change nothing.`,
  );
}
