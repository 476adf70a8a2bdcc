import * as core from '@actions/core';
import { removeJobDir } from './credentials.js';
import { errorMessage } from './errors.js';
import { State } from './state.js';

/** Post step: removes this job's login and files. It warns, never fails the job. */
export async function post(): Promise<void> {
  const jobDir = core.getState(State.JobDir);
  if (jobDir === '') return;
  try {
    await removeJobDir(jobDir);
    core.info("Removed this job's Docker login and temporary files.");
  } catch (error) {
    core.warning(`Could not remove ${jobDir}: ${errorMessage(error)}`);
  }
}
