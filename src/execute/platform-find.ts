// A merge job's first look: every platform image the `merge: later` jobs should have pushed, read
// at once; one missing stops the job before anything is pushed, naming each and the job that owes it.
import { StepError } from '../shared/errors.js';
import type { Step } from '../plan/plan.js';
import type { RemoteRead } from '../registry/registry-reader.js';
import type { BatchRun } from './registry-batch.js';
import { REVISION_LABEL } from '../tags/labels.js';

export type PlatformImageStep = Step & { kind: 'platform-image' };

/** `linux/arm64` and `linux/arm64/v8` name one platform; a variant asked for must match. */
export function samePlatform(wanted: string, found: string): boolean {
  const normal = (platform: string): string => platform.replace(/^(\w+\/arm64)\/v8$/, '$1');
  const [w, f] = [normal(wanted), normal(found)];
  if (w === f) return true;
  return w.split('/').length === 2 && f.startsWith(`${w}/`);
}

/** Why what the tag holds is not the image `step` needs; undefined when it is. */
export function problemWith(step: PlatformImageStep, read: RemoteRead): string | undefined {
  if (read.kind === 'unknown') return `${step.reference} could not be read: ${read.reason}`;
  if (read.kind === 'missing') return `${step.reference} does not exist`;
  const images = read.images ?? [];
  const image = images.find((entry) => samePlatform(step.platform, entry.platform));
  if (image === undefined) {
    const held = images.map((entry) => entry.platform).join(', ') || 'no image';
    return `${step.reference} holds ${held}, not ${step.platform}`;
  }
  const revision = image.labels[REVISION_LABEL];
  if (revision !== step.revision) {
    return `${step.reference} holds an image of commit ${revision ?? '(no revision label)'}, not of ${step.revision}`;
  }
  return undefined;
}

function owingJob(step: PlatformImageStep): string {
  return `The job that runs this action with \`merge: later\` and \`platforms: ${step.platform}\` on this ref and commit`;
}

/**
 * Reads every platform tag at once. Throws a StepError that lists each platform not found (with
 * the job that pushes it), so that one re-run of those jobs is enough to merge again.
 */
export async function findPlatformImages(
  batch: PlatformImageStep[],
  run: Pick<BatchRun, 'reader' | 'timed'>,
): Promise<void> {
  const found = await Promise.all(
    batch.map((step) => run.timed(step, () => run.reader.read(step.reference, step.remote))),
  );
  const problems = batch.flatMap((step, index) => {
    const answer = found[index];
    if (answer === undefined) return [];
    const problem = problemWith(step, answer);
    return problem === undefined ? [] : [`${step.platform}: ${problem}. ${owingJob(step)} pushes it.`];
  });
  if (problems.length === 0) return;
  throw new StepError(
    `Not merging: ${problems.length} of the ${batch.length} platform images ${problems.length === 1 ? 'is' : 'are'} not there; nothing was pushed. Run (or re-run) the job named, then this one again.\n${problems.map((line) => `- ${line}`).join('\n')}`,
    1,
  );
}
