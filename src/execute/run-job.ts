// The execute stage: the job's folder made as the plan names it, the plan run in it, the folder
// removed; then, when a stage missed the cache, what the cache could have come from.
import * as core from '@actions/core';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { commitAncestry } from '../context/ancestry.js';
import { changedFiles } from '../context/changed-files.js';
import type { RefContext } from '../context/ref-context.js';
import { firstMisses } from '../docker/build-steps.js';
import { userDockerConfig } from '../docker/config-file.js';
import type { Settings } from '../inputs/settings.js';
import type { JobFolder, JobPlan } from '../plan/job-plan.js';
import type { Step } from '../plan/plan.js';
import type { CacheSource, RunRecord } from '../record/run-record.js';
import { BASE_DIGEST_LABEL, BUILD_ARGS_LABEL, REVISION_LABEL } from '../tags/labels.js';
import type { RegistryReader } from '../registry/registry-reader.js';
import type { CommandRunner } from '../shared/command.js';
import { errorMessage } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import { execute } from './executor.js';
import { signalGuard } from './interrupt.js';
import { createJobDockerConfig } from './job-docker-config.js';
import { State } from './state.js';

/**
 * Runs `body` with the job's private folder (mode 0700; it must not exist yet) in place, holding what
 * the plan names (the login's DOCKER_CONFIG, the classic builder's labelled Dockerfile); the state
 * tells the post step what to clean up before anything could be left behind. Removes the folder and
 * the login in it when `body` ends (passed, failed or stopped by an error), clearing the state so
 * the post step has nothing left to do. The post step (run only when the job did not succeed, see action.yml's post-if)
 * covers a main step that was killed. In-image test containers are removed by the executor.
 */
async function inJobFolder<T>(
  folder: JobFolder,
  env: NodeJS.ProcessEnv,
  log: Pick<Log, 'warning'>,
  body: () => Promise<T>,
): Promise<T> {
  await mkdir(path.dirname(folder.dir), { recursive: true });
  await mkdir(folder.dir, { mode: 0o700 }); // fails if it exists: the folder is this job's alone
  try {
    core.saveState(State.JobDir, folder.dir);
    if (folder.testContainer !== undefined) core.saveState(State.TestContainer, folder.testContainer);
    const config = folder.dockerConfig;
    if (config !== undefined)
      await createJobDockerConfig(config.dir, userDockerConfig(env), config.registries);
    for (const file of folder.files) await writeFile(file.path, file.text, { mode: 0o600 });
    return await body();
  } finally {
    try {
      await rm(folder.dir, { recursive: true, force: true });
      core.saveState(State.JobDir, '');
      core.saveState(State.TestContainer, '');
    } catch (error) {
      log.warning(`Could not remove this job's temporary folder: ${errorMessage(error)}`);
    }
  }
}

/**
 * The closest cache image whose labels the run read: the branch's tag (the lookups read it), else
 * the default branch's (the size check read it). Undefined when neither was there.
 */
function cacheSource(steps: readonly Step[], record: RunRecord): CacheSource | undefined {
  const build = steps.find((step) => step.kind === 'build');
  const images = build?.kind === 'build' ? build.cacheImages : [];
  const check = steps.find((step) => step.kind === 'size-check');
  for (const reference of images) {
    const labels =
      record.existing.get(reference)?.labels ??
      (check?.kind === 'size-check' && check.reference === reference ? record.defaultImageLabels : undefined);
    if (labels !== undefined) {
      return {
        reference,
        revision: labels[REVISION_LABEL],
        baseDigest: labels[BASE_DIGEST_LABEL],
        buildArgs: labels[BUILD_ARGS_LABEL],
      };
    }
  }
  return undefined;
}

/**
 * When a stage missed the cache: the cache image it could have come from, and the files changed since
 * the commit that image was built from (git), so the summary can say why.
 */
async function explainCacheMisses(
  settings: Settings,
  plan: JobPlan,
  record: RunRecord,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (firstMisses(record.buildSteps.all()).length === 0) return;
  const source = cacheSource(plan.steps, record);
  const changed =
    source?.revision === undefined
      ? undefined
      : (await changedFiles(settings.workingDirectory, source.revision, settings.context, env)).files;
  record.cacheSource = { source, changed };
}

export interface JobRun {
  settings: Settings;
  context: RefContext;
  env: NodeJS.ProcessEnv;
  runner: CommandRunner;
  reader: RegistryReader;
  log: Log;
  /** The run's record, which the steps fill. */
  record: RunRecord;
  /** Called once the build has produced an image (before the pushes), with its id. */
  onBuilt: (imageId: string) => void;
}

/** Runs the plan in the job's folder, recording into `job.record`. */
export async function runJob(plan: JobPlan, job: JobRun): Promise<void> {
  const { settings, context, runner, log, record } = job;
  await inJobFolder(plan.folder, job.env, log, () =>
    execute(plan.steps, runner, log, record, signalGuard, {
      retries: settings.retries,
      reader: job.reader,
      ancestry: commitAncestry({
        directory: settings.workingDirectory,
        token: settings.githubToken?.reveal(),
        repository: context.repository,
        pushedFrom: context.pushedFrom,
        sha: context.sha,
      }),
      onBuilt: job.onBuilt,
    }),
  );
  await explainCacheMisses(settings, plan, record, job.env);
}
