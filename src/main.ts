import * as core from '@actions/core';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAudit } from './audit/run-audit.js';
import { registryCacheImages } from './cache.js';
import { toRefContext } from './context.js';
import { createJobDir, createJobDockerConfig, userDockerConfig } from './credentials.js';
import { type Engine } from './docker.js';
import { builderContext, probeEngine } from './engine.js';
import { errorMessage } from './errors.js';
import { execute } from './executor.js';
import { readHead } from './git.js';
import { parseInputs, type RawInputs } from './inputs.js';
import { imageLabels } from './labels.js';
import { collectOutputs } from './outputs.js';
import { formatCommand, makePlan } from './plan.js';
import { checkPaths } from './preflight.js';
import { readRawInputs } from './read-inputs.js';
import { fullReferences, resolveTags } from './resolve-tags.js';
import { ExecRunner } from './runner.js';
import { signalGuard } from './interrupt.js';
import { githubContext } from './runner-context.js';
import { State } from './state.js';
import { actionLog, RunReport } from './run-report.js';
import { newTestContainerName } from './test-container.js';
import { describeTag } from './tags.js';

async function engineFor(runner: ExecRunner, dryRun: boolean): Promise<Engine> {
  try {
    return await probeEngine(runner);
  } catch (error) {
    if (!dryRun) throw error;
    core.warning(`${errorMessage(error)} (dry run: planning for buildx)`);
    return { buildx: true, serverVersion: 'unknown' };
  }
}

/** Inputs, audit, branch, tags, engine and plan, all printed in the `Resolve` log group. */
async function resolve(env: NodeJS.ProcessEnv, raw: RawInputs, report: RunReport) {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const { settings, notices } = parseInputs(raw, workspace);
  for (const notice of notices) core.notice(notice);
  await checkPaths(settings);
  await report.settings(settings);
  // Before anything runs: with `audit: error` a finding stops the step here.
  report.record.audit = await runAudit(settings, workspace);

  const runner = new ExecRunner();
  // The daemon probe runs while git and the tag checks do; its failure is reported after theirs.
  const probe = engineFor(runner, settings.dryRun);
  probe.catch(() => undefined);
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

  const engine = await probe;
  const runnerTemp = env.RUNNER_TEMP || os.tmpdir();
  let jobDir = path.join(runnerTemp, 'build-test-push-dry-run');
  let dockerConfig = settings.credentials === undefined ? undefined : path.join(jobDir, 'docker-config');
  const testContainer = newTestContainerName();
  if (!settings.dryRun) {
    jobDir = await createJobDir(runnerTemp);
    core.saveState(State.JobDir, jobDir);
    if (settings.testInImage !== undefined) core.saveState(State.TestContainer, testContainer);
    if (settings.credentials !== undefined)
      dockerConfig = await createJobDockerConfig(jobDir, userDockerConfig(env), settings.loginRegistry);
  }
  const steps = makePlan({
    settings,
    engine,
    references,
    labels: imageLabels(context, tags[0]?.tag, settings.labels),
    cacheImages: registryCacheImages(settings, context),
    dockerContext: await builderContext(runner, settings.builder, engine),
    jobDir,
    dockerConfig,
    testContainer,
  });

  report.resolved(tags, references, engine);
  core.info(
    `Branch: ${names.branch ?? '(none)'}; {ref} = ${names.ref ?? '(none)'} (${names.refSource ?? 'no ref'})`,
  );
  core.info(
    `Builder: ${engine.buildx ? 'docker buildx build' : 'docker build (no buildx plugin)'}; daemon ${engine.serverVersion}`,
  );
  for (const tag of tags) core.info(`Tag: ${describeTag(tag)}`);
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
  const execution = settings.dryRun
    ? undefined
    : await execute(steps, runner, actionLog, report.execution, signalGuard, { retries: settings.retries });
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
