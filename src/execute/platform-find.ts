// A merge job's first look: every platform image the `merge: later` jobs should have pushed, read
// at once; one missing stops the job before anything is pushed, naming each and the job that owes it.
import { type PlatformListing, parsePlatformListing } from '../docker/platform-listing.js';
import { errorMessage, StepError } from '../shared/errors.js';
import type { CommandResult, CommandRunner, RunOptions } from '../shared/command.js';
import type { Step } from '../plan/plan.js';
import { REVISION_LABEL } from '../tags/labels.js';

export type PlatformImageStep = Step & { kind: 'platform-image' };

/** `linux/arm64` and `linux/arm64/v8` name one platform; a variant asked for must match. */
export function samePlatform(wanted: string, found: string): boolean {
  const normal = (platform: string): string => platform.replace(/^(\w+\/arm64)\/v8$/, '$1');
  const [w, f] = [normal(wanted), normal(found)];
  if (w === f) return true;
  return w.split('/').length === 2 && f.startsWith(`${w}/`);
}

/** Why `listing` is not the image `step` needs; undefined when it is. */
export function problemWith(step: PlatformImageStep, listing: PlatformListing): string | undefined {
  if (!listing.found) return `${step.reference} does not exist`;
  const image = listing.images.find((entry) => samePlatform(step.platform, entry.platform));
  if (image === undefined) {
    const held = listing.images.map((entry) => entry.platform).join(', ') || 'no image';
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

export interface FindRun {
  runner: CommandRunner;
  /** Runs one read as a step: heartbeat and timing. */
  timed: (step: Step, body: (options: RunOptions) => Promise<CommandResult>) => Promise<CommandResult>;
}

async function listing(step: PlatformImageStep, run: FindRun): Promise<PlatformListing | string> {
  try {
    const result = await run.timed(step, (options) =>
      run.runner.run(step.command, { ...options, silent: true }),
    );
    return parsePlatformListing(result.stdout, result.exitCode, result.tail);
  } catch (error) {
    return `${step.reference} could not be read: ${errorMessage(error)}`;
  }
}

/**
 * Reads every platform tag at once. Throws a StepError that lists each platform not found (with
 * the job that pushes it), so that one re-run of those jobs is enough to merge again.
 */
export async function findPlatformImages(batch: PlatformImageStep[], run: FindRun): Promise<void> {
  const found = await Promise.all(batch.map((step) => listing(step, run)));
  const problems = batch.flatMap((step, index) => {
    const answer = found[index];
    if (answer === undefined) return [];
    const problem = typeof answer === 'string' ? answer : problemWith(step, answer);
    return problem === undefined ? [] : [`${step.platform}: ${problem}. ${owingJob(step)} pushes it.`];
  });
  if (problems.length === 0) return;
  throw new StepError(
    `Not merging: ${problems.length} of the ${batch.length} platform images ${problems.length === 1 ? 'is' : 'are'} not there; nothing was pushed. Run (or re-run) the job named, then this one again.\n${problems.map((line) => `- ${line}`).join('\n')}`,
    1,
  );
}
