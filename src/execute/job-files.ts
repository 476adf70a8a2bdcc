import * as core from '@actions/core';
import * as os from 'node:os';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createJobDir, createJobDockerConfig, removeJobDir } from './job-docker-config.js';
import { userDockerConfig } from '../docker/config-file.js';
import type { Engine } from '../docker/engine-info.js';
import type { Settings } from '../inputs/settings.js';
import { labelledDockerfile } from '../plan/classic-labels.js';
import { State } from './state.js';
import { stepLogins } from '../inputs/logins.js';
import { newTestContainerName } from './test-container.js';

/** Where this job's own files and names live; the post step removes what they leave. */
export interface JobFiles {
  /** Private folder (mode 0700) under RUNNER_TEMP: the image id file, the login. */
  jobDir: string;
  /** DOCKER_CONFIG holding this job's login; undefined when the action does not log in. */
  dockerConfig: string | undefined;
  /** Unique name of the in-image test's container. */
  testContainer: string;
}

/** The folder this run created, until main removes it. */
let created: string | undefined;
/**
 * The creation under way (folder, then login config): removal waits for it, so that a main step
 * that fails before it has finished (a missing Dockerfile) still removes what it then creates.
 */
let creating: Promise<unknown> | undefined;

/**
 * Creates the job's private folder and login config, and saves in the state what the post step
 * must clean up, before anything could leave it behind. A dry run creates nothing: its plan shows
 * where the files would go.
 */
export function prepareJobFiles(settings: Settings, env: NodeJS.ProcessEnv): Promise<JobFiles> {
  const files = createJobFiles(settings, env);
  creating = files.catch(() => undefined);
  return files;
}

async function createJobFiles(settings: Settings, env: NodeJS.ProcessEnv): Promise<JobFiles> {
  const runnerTemp = env.RUNNER_TEMP || os.tmpdir();
  const testContainer = newTestContainerName();
  const logins = stepLogins(settings);
  if (settings.dryRun) {
    const jobDir = path.join(runnerTemp, 'build-test-push-dry-run');
    const dockerConfig = logins.length === 0 ? undefined : path.join(jobDir, 'docker-config');
    return { jobDir, dockerConfig, testContainer };
  }
  const jobDir = await createJobDir(runnerTemp);
  created = jobDir;
  core.saveState(State.JobDir, jobDir);
  if (settings.testInImage !== undefined) core.saveState(State.TestContainer, testContainer);
  const dockerConfig =
    logins.length === 0
      ? undefined
      : await createJobDockerConfig(
          jobDir,
          userDockerConfig(env),
          logins.map((login) => login.registry),
        );
  return { jobDir, dockerConfig, testContainer };
}

/**
 * Main's own cleanup when it ends (passed, failed or stopped by an error): removes the folder and the
 * login in it, and clears the state, so the post step has nothing left to do. The post step (run
 * only when the job did not succeed, see action.yml's post-if) covers a main step that was killed.
 * In-image test containers are already removed by the executor.
 */
export async function removeJobFiles(): Promise<void> {
  await creating;
  creating = undefined;
  if (created === undefined) return;
  await removeJobDir(created);
  created = undefined;
  core.saveState(State.JobDir, '');
  core.saveState(State.TestContainer, '');
}

/**
 * The classic builder's labelled copy of the Dockerfile (see plan/classic-labels.ts), written into
 * the job's folder (not on a dry run); its path, or undefined with buildx, which takes `--label`.
 */
export async function labelledCopy(
  engine: Engine,
  jobDir: string,
  dockerfile: string | undefined,
  labels: Record<string, string>,
  settings: Pick<Settings, 'target' | 'dryRun'>,
): Promise<string | undefined> {
  if (engine.buildx) return undefined;
  const file = path.join(jobDir, 'Dockerfile.labelled');
  const text = labelledDockerfile(dockerfile ?? '', labels, settings.target);
  if (!settings.dryRun) await writeFile(file, text, { mode: 0o600 });
  return file;
}
