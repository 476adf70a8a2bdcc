import * as core from '@actions/core';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAudit } from './audit/run-audit.js';
import { toRefContext } from './context.js';
import { createJobDir, createJobDockerConfig, userDockerConfig } from './credentials.js';
import { type Engine } from './docker.js';
import { probeEngine } from './engine.js';
import { errorMessage } from './errors.js';
import { execute, type Log } from './executor.js';
import { readHead } from './git.js';
import { parseInputs } from './inputs.js';
import { imageLabels } from './labels.js';
import { collectOutputs } from './outputs.js';
import { formatCommand, makePlan } from './plan.js';
import { checkPaths } from './preflight.js';
import { readRawInputs } from './read-inputs.js';
import { fullReferences, resolveTags } from './resolve-tags.js';
import { ExecRunner } from './runner.js';
import { githubContext } from './runner-context.js';
import { State } from './state.js';
import { renderSummary } from './summary.js';
import { describeTag } from './tags.js';

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
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const { settings, notices } = parseInputs(readRawInputs(), workspace);
  for (const notice of notices) core.notice(notice);
  await checkPaths(settings);
  // Before anything runs: with `audit: error` a finding stops the step here.
  const audit = await runAudit(settings, workspace);

  const head = await readHead(settings.workingDirectory);
  if (head.problem !== undefined) core.debug(`git could not read HEAD: ${head.problem}`);
  const context = toRefContext(githubContext(env), head);
  const { names, tags, skipped } = resolveTags(settings, context, new Date());
  for (const skip of skipped) {
    core.notice(`Tag template "${skip.template}" skipped: {${skip.placeholder}} has no value on this run.`);
  }
  const references = fullReferences(settings.images, tags);
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
      dockerConfig = await createJobDockerConfig(jobDir, userDockerConfig(env), settings.loginRegistry);
  }
  const steps = makePlan({
    settings,
    engine,
    references,
    labels: imageLabels(context, tags[0]?.tag, settings.labels),
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
  for (const tag of tags) core.info(`Tag: ${describeTag(tag)}`);
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
      .addRaw(renderSummary({ references, pushed: settings.push, dryRun: settings.dryRun, execution, audit }))
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
