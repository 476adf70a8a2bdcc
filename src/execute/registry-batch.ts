// The registry reads of a plan, several at once: the collision lookups before the build and the
// read-backs after the pushes; and what the lookups spare (pushes of tags that hold the image already).
import {
  checkLookup,
  checkPushedDigestsAgree,
  checkVerify,
  contentInRegistry,
  unchangedInRegistry,
} from './registry-checks.js';
import { localContent } from './built-image.js';
import type { RunRecord } from '../record/run-record.js';
import type { Log } from '../shared/log.js';
import { PARALLEL_KINDS, type Step } from '../plan/plan.js';
import type { CommandRunner, RunOptions } from '../shared/command.js';
import type { RegistryReader, RemoteRead } from '../registry/registry-reader.js';
import type { CommitAncestry } from '../context/ancestry.js';
import { judgeMove, type MoveVerdict } from './moving-tags.js';

export type RegistryStep = Step & { kind: 'lookup' | 'verify' };

export function isRegistryStep(step: Step): step is RegistryStep {
  return step.kind === 'lookup' || step.kind === 'verify';
}

/** What a batch of reads needs of the run. */
export interface BatchRun {
  reader: RegistryReader;
  log: Log;
  record: RunRecord;
  /** Whether one commit contains another, for the tags of a branch (see judgeBranch). */
  ancestry?: CommitAncestry | undefined;
  /** Runs one read as a step: heartbeat and timing. */
  timed: (step: Step, body: (options: RunOptions) => Promise<RemoteRead>) => Promise<RemoteRead>;
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

/** What a tag holds, as the step asks for it (with its labels for a lookup), said in the log. */
async function readTag(step: RegistryStep, run: BatchRun): Promise<RemoteRead> {
  const read = await run.reader.read(step.reference, step.remote);
  if (read.kind === 'found') run.log.info(`${step.reference} is ${read.digest} in the registry.`);
  if (read.kind === 'missing') run.log.info(`${step.reference} is not in the registry.`);
  return read;
}

/** Reads several tags at once: the collision lookups before the build, or the read-backs after the pushes. */
export async function readBatch(batch: RegistryStep[], run: BatchRun): Promise<void> {
  const { record, log, timed } = run;
  if (batch[0]?.kind === 'verify') checkPushedDigestsAgree(record.digests);
  const reads = await Promise.all(batch.map((step) => timed(step, () => readTag(step, run))));
  for (const [index, step] of batch.entries()) {
    const read = reads[index];
    if (read === undefined) continue;
    try {
      if (step.kind === 'verify') checkVerify(step, read, record.digests);
      else {
        const move = await moveVerdict(step, read, run);
        const existing = checkLookup(step, read, log, move);
        if (move?.action === 'keep') record.kept.push(step.reference);
        if (existing !== undefined) record.existing.set(step.reference, existing);
        if (read.kind === 'missing') record.missing.push(step.reference);
      }
    } catch (error) {
      record.failedStep = step;
      throw error;
    }
  }
}

/** What a moving tag does given what it holds (see judgeMove); says so when the history cannot tell. */
async function moveVerdict(
  step: RegistryStep & { kind: 'lookup' },
  read: RemoteRead,
  run: BatchRun,
): Promise<MoveVerdict> {
  const image = read.kind === 'found' ? read : undefined;
  const { verdict, note } = await judgeMove(step.reference, step.moves, image, step.labels, run.ancestry);
  if (note !== undefined) run.log.notice(note);
  return verdict;
}

/**
 * After the build: when every tag to push already holds the built image, pushing would upload
 * nothing and rewrite the same tags, so the pushes are skipped, and with them the read-backs.
 * When the ids differ but the registry's image was read with its content, the built image's is
 * read too (one `docker image inspect`): the same layers and config, BuildKit's inline-cache
 * record aside, spare the pushes as well. Only a single-platform build that docker pushes gets here.
 */
export async function skipUnchangedPushes(
  steps: Step[],
  record: RunRecord,
  runner: CommandRunner,
  log: Log,
): Promise<void> {
  const pushes = steps.flatMap((step) =>
    step.kind === 'push' && !record.kept.includes(step.reference) ? [step.reference] : [],
  );
  if (pushes.length === 0) return;
  const loaded = steps.some((step) => step.kind === 'build' && step.output === 'load');
  const { existing, imageId } = record;
  let held = unchangedInRegistry(pushes, existing, imageId);
  if (
    held === undefined &&
    loaded &&
    imageId !== undefined &&
    contentInRegistry(pushes, existing) !== undefined
  ) {
    held = unchangedInRegistry(pushes, existing, imageId, await localContent(runner, imageId));
  }
  if (held === undefined) return;
  for (const [reference, digest] of held.digests) record.digests.set(reference, digest);
  record.alreadyInRegistry = pushes;
  const digests = [...new Set(held.digests.values())].join(', ');
  log.info(
    held.match === 'image'
      ? `Not pushing ${pushes.join(', ')}: the registry already holds this very image (${digests}), so a push would change nothing.`
      : `Not pushing ${pushes.join(', ')}: the registry already holds an image with the same layers and config (${digests}); the build's cache metadata aside, a push would change nothing.`,
  );
}
