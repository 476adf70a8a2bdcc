import * as core from '@actions/core';
import * as os from 'node:os';
import * as path from 'node:path';
import { toRefContext } from './context.js';
import { createJobDir, createJobDockerConfig, userDockerConfig } from './credentials.js';
import { type Engine } from './docker.js';
import { probeEngine } from './engine.js';
import { errorMessage, InputError } from './errors.js';
import { execute, type Log } from './executor.js';
import { currentBranch } from './git.js';
import { parseInputs } from './inputs.js';
import { imageLabels } from './labels.js';
import { collectOutputs } from './outputs.js';
import { formatCommand, makePlan } from './plan.js';
import { checkPaths } from './preflight.js';
import { readRawInputs } from './read-inputs.js';
import { ExecRunner } from './runner.js';
import { githubContext } from './runner-context.js';
import { State } from './state.js';
import { renderSummary } from './summary.js';
import { refNames, renderTags } from './tags.js';

const log: Log = {
  group: (title, body) => core.group(title, body),
  info: (message) => {
    core.info(message);
  },
  notice: (message) => {
    core.notice(message);
  },
  warning: (message) => {
    core.warning(message);
  },
};

async function engineFor(runner: ExecRunner, dryRun: boolean): Promise<Engine> {
  try {
    return await probeEngine(runner);
  } catch (error) {
    if (!dryRun) throw error;
    core.warning(`${errorMessage(error)} (dry run: planning for buildx)`);
    return { buildx: true, serverVersion: 'unknown' };
  }
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const { settings, notices } = parseInputs(readRawInputs(), env.GITHUB_WORKSPACE || process.cwd());
  for (const notice of notices) core.notice(notice);
  await checkPaths(settings);

  const git = await currentBranch(settings.workingDirectory);
  if (git.problem !== undefined) core.debug(`git could not name the branch: ${git.problem}`);
  const context = toRefContext(githubContext(env), git.branch);
  const names = refNames(context);
  const { tags, skipped } = renderTags(settings.tagTemplates, context);
  for (const skip of skipped) {
    core.notice(`Tag template "${skip.template}" skipped: {${skip.placeholder}} has no value on this run.`);
  }
  if (tags.length === 0) {
    throw new InputError(
      'tag',
      'no template gave a tag on this run; add one that always has a value, e.g. {short-sha}',
    );
  }
  const references = settings.images.flatMap((image) => tags.map((tag) => `${image}:${tag}`));
  if (settings.testCommand === undefined)
    core.notice('No `test-command` given: the image is built without running tests first.');

  const runner = new ExecRunner();
  const engine = await engineFor(runner, settings.dryRun);
  const runnerTemp = env.RUNNER_TEMP || os.tmpdir();
  let jobDir = path.join(runnerTemp, 'build-test-push-dry-run');
  let dockerConfig = settings.credentials === undefined ? undefined : path.join(jobDir, 'docker-config');
  if (!settings.dryRun) {
    jobDir = await createJobDir(runnerTemp);
    core.saveState(State.JobDir, jobDir);
    if (settings.credentials !== undefined)
      dockerConfig = await createJobDockerConfig(jobDir, userDockerConfig(env));
  }
  const steps = makePlan({
    settings,
    engine,
    references,
    labels: imageLabels(context),
    jobDir,
    dockerConfig,
  });

  core.startGroup(settings.dryRun ? 'Plan (dry run: nothing is run)' : 'Plan');
  core.info(
    `Branch: ${names.branch ?? '(none)'}; {ref} = ${names.ref ?? '(none)'} (${names.refSource ?? 'no ref'})`,
  );
  core.info(
    `Builder: ${engine.buildx ? 'docker buildx build' : 'docker build (no buildx plugin)'}; daemon ${engine.serverVersion}`,
  );
  for (const step of steps) core.info(`${step.title}:\n  ${formatCommand(step.command)}`);
  core.endGroup();

  const execution = settings.dryRun
    ? undefined
    : await execute(steps, runner, log, { retries: settings.retries });
  const outputs = collectOutputs(names.branch, tags, references, execution);
  core.startGroup('Outputs');
  for (const [key, value] of Object.entries(outputs)) {
    core.setOutput(key, value);
    core.info(`${key} = ${value}`);
  }
  core.endGroup();
  if (env.GITHUB_STEP_SUMMARY) {
    await core.summary
      .addRaw(renderSummary({ references, pushed: settings.push, dryRun: settings.dryRun, execution }))
      .write();
  }
}

/** The main step: parse, resolve, plan, execute; one setFailed at the top. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  core.saveState(State.IsPost, 'true');
  try {
    await main(env);
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
