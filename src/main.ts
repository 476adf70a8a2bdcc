import * as core from '@actions/core';
import * as os from 'node:os';
import * as path from 'node:path';
import { toRefContext } from './context.js';
import { createJobDir, createJobDockerConfig, userDockerConfig } from './credentials.js';
import { type Engine } from './docker.js';
import { probeEngine } from './engine.js';
import { errorMessage, InputError } from './errors.js';
import { execute } from './executor.js';
import { currentBranch } from './git.js';
import { parseInputs, type RawInputs } from './inputs.js';
import { imageLabels } from './labels.js';
import { collectOutputs } from './outputs.js';
import { formatCommand, makePlan } from './plan.js';
import { checkPaths } from './preflight.js';
import { readRawInputs } from './read-inputs.js';
import { ExecRunner } from './runner.js';
import { githubContext } from './runner-context.js';
import { State } from './state.js';
import { actionLog, RunReport } from './run-report.js';
import { tagOrigins } from './tag-origins.js';
import { refNames, renderTags } from './tags.js';

async function engineFor(runner: ExecRunner, dryRun: boolean): Promise<Engine> {
  try {
    return await probeEngine(runner);
  } catch (error) {
    if (!dryRun) throw error;
    core.warning(`${errorMessage(error)} (dry run: planning for buildx)`);
    return { buildx: true, serverVersion: 'unknown' };
  }
}

/** Inputs, branch, tags, engine and plan, all printed in the `Resolve` log group. */
async function resolve(env: NodeJS.ProcessEnv, raw: RawInputs, report: RunReport) {
  const { settings, notices } = parseInputs(raw, env.GITHUB_WORKSPACE || process.cwd());
  for (const notice of notices) core.notice(notice);
  await checkPaths(settings);
  await report.settings(settings);

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

  const origins = tagOrigins(settings.tagTemplates, context);
  report.resolved(origins, references, engine);
  core.info(
    `Branch: ${names.branch ?? '(none)'}; {ref} = ${names.ref ?? '(none)'} (${names.refSource ?? 'no ref'})`,
  );
  core.info(
    `Builder: ${engine.buildx ? 'docker buildx build' : 'docker build (no buildx plugin)'}; daemon ${engine.serverVersion}`,
  );
  for (const origin of origins) core.info(`Tag: ${origin.source} → ${origin.tag} (${origin.rule})`);
  core.info(settings.dryRun ? 'Plan (dry run: nothing is run):' : 'Plan:');
  for (const step of steps) core.info(`${step.title}:\n  ${formatCommand(step.command)}`);
  return { settings, names, tags, references, runner, steps };
}

async function main(env: NodeJS.ProcessEnv, report: RunReport): Promise<void> {
  const raw = readRawInputs(); // first: it masks the password before anything is logged
  const { settings, names, tags, references, runner, steps } = await core.group(
    'Resolve: settings, branch, tags and plan',
    () => resolve(env, raw, report),
  );
  const execution = settings.dryRun ? undefined : await execute(steps, runner, actionLog, report.execution);
  await report.measureImage(runner);
  const outputs = collectOutputs(names.branch, tags, references, execution);
  core.startGroup('Outputs');
  for (const [key, value] of Object.entries(outputs)) {
    core.setOutput(key, value);
    core.info(`${key} = ${value}`);
  }
  core.endGroup();
}

/** The main step: parse, resolve, plan, execute; a failure is annotated, and the summary always written. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  core.saveState(State.IsPost, 'true');
  const report = new RunReport(env);
  try {
    await main(env, report);
  } catch (error) {
    report.failed(error);
  }
  await report.finish();
}
