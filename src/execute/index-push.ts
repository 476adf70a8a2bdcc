// A merge job's push: the index `imagetools create` would push is composed first (`--dry-run`), so
// its digest is known; tags that hold it already are left alone, the others get it, with retries.
import { createHash } from 'node:crypto';
import { isAuthRefusal } from '../docker/push-output.js';
import { meaningfulLine } from '../docker/failure-lines.js';
import { StepError } from '../shared/errors.js';
import type { Command, CommandResult } from '../shared/command.js';
import type { Step } from '../plan/plan.js';
import type { RunRecord } from '../record/run-record.js';
import type { Log } from '../shared/log.js';
import { loginAdvice } from './push.js';
import { attemptsNote, type PushRetries, withRetries } from './retry-loop.js';

export type IndexStep = Step & { kind: 'index' };

const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** sha256 of the index as `imagetools create --dry-run` prints it (the bytes it pushes, then a newline). */
export function indexDigest(printed: string): string {
  const body = printed.endsWith('\n') ? printed.slice(0, -1) : printed;
  return `sha256:${createHash('sha256').update(body, 'utf8').digest('hex')}`;
}

/**
 * buildx writes index annotations only into an OCI index; images that `docker push` sent from
 * docker's own image store are Docker manifests, whose list has no room for them, and buildx drops
 * them without a word.
 */
function checkAnnotationsKept(step: IndexStep, printed: string): void {
  if (!step.command.args.includes('--annotation')) return;
  const { mediaType } = JSON.parse(printed) as { mediaType?: string };
  if (mediaType !== DOCKER_LIST) return;
  throw new StepError(
    "Input `annotations`: the merged index would be a Docker manifest list, which holds no annotations (the platform images are Docker manifests, as `docker push` sends them from docker's own image store); nothing was pushed. Remove the index annotations, or build the platform images with the containerd image store or a builder of its own.",
    1,
  );
}

export interface IndexRun {
  runChecked: (command: Command) => Promise<CommandResult>;
  record: RunRecord;
  log: Log;
  retries: PushRetries;
}

/** Composes the index and tells its digest; reading the platform images may meet a passing failure too. */
async function compose(step: IndexStep, run: IndexRun): Promise<string> {
  const outcome = await withRetries(
    {
      what: `Composing the index for ${step.reference}`,
      run: () => run.runChecked(step.preview),
      succeeded: (result) => (result.exitCode === 0 ? result.stdout : undefined),
      timeoutSeconds: step.preview.timeoutSeconds,
    },
    run.retries,
  );
  if (outcome.done) return outcome.value;
  throw new StepError(
    `Could not compose the index for ${step.references.join(', ')}${attemptsNote(outcome)}: ${meaningfulLine(outcome.result.tail) ?? outcome.failure.cause}; nothing was pushed.`,
    outcome.result.exitCode,
    outcome.result.tail,
  );
}

/**
 * Pushes the index to every tag of the step unless every one holds it already (a merge run again
 * on the same images pushes nothing), and records the digest for the read-back to confirm.
 */
export async function pushIndex(step: IndexStep, run: IndexRun): Promise<void> {
  const { record, log } = run;
  const printed = await compose(step, run);
  checkAnnotationsKept(step, printed);
  const digest = indexDigest(printed);
  if (step.references.every((reference) => record.existing.get(reference)?.digest === digest)) {
    for (const reference of step.references) record.digests.set(reference, digest);
    record.alreadyInRegistry.push(...step.references);
    log.info(
      `Not pushing ${step.references.join(', ')}: ${step.references.length === 1 ? 'it holds' : 'they hold'} this very index (${digest}) already, so a push would change nothing.`,
    );
    return;
  }
  const outcome = await withRetries(
    {
      what: `Push of the index to ${step.references.join(', ')}`,
      run: () => run.runChecked(step.command),
      succeeded: (result) => (result.exitCode === 0 ? digest : undefined),
      timeoutSeconds: step.command.timeoutSeconds,
    },
    run.retries,
  );
  if (outcome.done) {
    for (const reference of step.references) record.digests.set(reference, digest);
    return;
  }
  const advice = isAuthRefusal(outcome.result.tail) ? `\n${loginAdvice(step)}` : '';
  const pushed = [...record.digests.keys()];
  throw new StepError(
    `Push of the index to ${step.references.join(', ')} failed${attemptsNote(outcome)}: ${outcome.failure.cause}${advice}\nPushed: ${pushed.length > 0 ? pushed.join(', ') : 'nothing'}`,
    outcome.result.exitCode,
    outcome.result.tail,
  );
}
