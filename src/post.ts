import * as core from '@actions/core';
import { rm } from 'node:fs/promises';
import { errorMessage } from './shared/errors.js';
import { ExecRunner } from './execute/command-runner.js';
import { State } from './execute/state.js';
import { meaningfulLine } from './docker/failure-lines.js';
import { removeContainerCommand } from './plan/plan.js';

/**
 * Removes the in-image test's container if it is still there (main was killed before it could);
 * `docker rm --force` of a container that is gone succeeds. Returns what went wrong, if anything.
 */
async function removeTestContainer(name: string): Promise<string | undefined> {
  const result = await new ExecRunner().run(removeContainerCommand(name), { silent: true });
  return result.exitCode === 0 ? undefined : (meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`);
}

/** Post step: removes this job's login and files, and a test container main left behind. It warns, never fails the job. */
export async function post(): Promise<void> {
  const container = core.getState(State.TestContainer);
  if (container !== '') {
    const problem = await removeTestContainer(container).catch(errorMessage);
    if (problem !== undefined) core.warning(`Could not remove container ${container}: ${problem}`);
  }
  const jobDir = core.getState(State.JobDir);
  if (jobDir === '') return;
  try {
    await rm(jobDir, { recursive: true, force: true });
    core.info("Removed this job's Docker login and temporary files.");
  } catch (error) {
    core.warning(`Could not remove ${jobDir}: ${errorMessage(error)}`);
  }
}
