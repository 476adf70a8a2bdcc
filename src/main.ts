import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { runAudit, stopOnAuditFindings } from './audit/run-audit.js';
import { registryCacheImages } from './plan/cache-images.js';
import { toRefContext } from './context/ref-context.js';
import { labelledDockerfile } from './plan/classic-labels.js';
import type { Engine } from './docker/docker.js';
import { builderContext, engineForRun, probeEngineFast } from './docker/engine.js';
import { errorMessage } from './inputs/errors.js';
import { prefetchBeforeProbe } from './execute/early-lookups.js';
import { execute, prefetchFirstLookups } from './execute/executor.js';
import { closeConnections } from './registry/http-get.js';
import { type Head, readHead } from './context/git.js';
import { parseInputs, type RawInputs } from './inputs/parse-inputs.js';
import { signalGuard } from './execute/interrupt.js';
import { type JobFiles, prepareJobFiles, removeJobFiles } from './execute/job-files.js';
import { cliOnly, localConfigLabels, localImageReader } from './docker/local-images.js';
import { imageLabels } from './tags/labels.js';
import { collectOutputs } from './report/outputs.js';
import { makePlan } from './plan/plan.js';
import { logPlan } from './report/plan-log.js';
import { checkPaths } from './inputs/check-paths.js';
import { readRawInputs } from './inputs/read-inputs.js';
import { prefetching, type PrefetchingReader, registryApi } from './registry/registry-reader.js';
import { fullReferences, resolveTags } from './tags/resolve-tags.js';
import { actionLog, RunReport } from './report/run-report.js';
import { ExecRunner } from './execute/command-runner.js';
import { githubContext } from './context/runner-context.js';
import type { Settings } from './inputs/settings.js';
import { State } from './execute/state.js';

const notice = (message: string): void => {
  core.notice(message);
};

/** What the plan waits for, each started beforehand so that they run side by side. */
interface PlanSources {
  head: Promise<Head>;
  engine: Promise<Engine>;
  files: Promise<JobFiles>;
  /** The Dockerfile's text: the classic builder reads a labelled copy of it. */
  dockerfile: Promise<string>;
}

/**
 * The plan, made as soon as its sources have answered (the Dockerfile only for the classic
 * builder). Its first lookups go out when git and the job's folder have, before the engine probe
 * (see prefetchBeforeProbe).
 */
async function planFor(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  runner: ExecRunner,
  reader: PrefetchingReader,
  sources: PlanSources,
) {
  sources.engine.catch(() => undefined); // awaited below, after git: its failure is reported then
  const [head, files] = await Promise.all([sources.head, sources.files]);
  const context = toRefContext(githubContext(env), head);
  const { names, tags, skipped } = resolveTags(settings, context, new Date());
  const references = fullReferences(settings.images, tags);
  const labels = imageLabels(context, tags[0]?.tag, settings.labels);
  const cacheImages = registryCacheImages(settings, context);
  const input = { settings, references, labels, cacheImages, ...files };
  if (!settings.dryRun) prefetchBeforeProbe(input, reader);
  const engine = await sources.engine;
  const steps = makePlan({
    ...input,
    engine,
    dockerContext: await builderContext(runner, settings.builder, engine),
    labelledDockerfile: engine.buildx
      ? undefined
      : labelledDockerfile(await sources.dockerfile, labels, settings.target),
  });
  if (!settings.dryRun) prefetchFirstLookups(steps, reader);
  return { head, engine, names, tags, skipped, references, steps };
}

/** What resolve works with: the command runner, the registry reader, the engine probe under way. */
interface ResolveEdges {
  runner: ExecRunner;
  reader: PrefetchingReader;
  /** The daemon probe runs while the inputs, the audit and git are read; its failure is reported after theirs. */
  probing: Promise<Engine>;
}

/** Inputs, audit, branch, tags, engine and plan, all printed in the `Resolve` log group. */
async function resolve(env: NodeJS.ProcessEnv, raw: RawInputs, report: RunReport, edges: ResolveEdges) {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const { runner, reader, probing } = edges;
  const { settings, notices } = parseInputs(raw, workspace);
  // git, like the probe, runs while the paths, the settings and the audit are checked; the plan is
  // made when they have answered, and its registry lookups go out while the audit still runs.
  const probeWarnings: string[] = [];
  // Read once: the settings' checks, the audit and the classic builder's labelled Dockerfile share it.
  const dockerfileText = readFile(settings.file, 'utf8');
  dockerfileText.catch(() => undefined);
  const planning = planFor(settings, env, runner, reader, {
    head: readHead(settings.workingDirectory, runner),
    engine: engineForRun(probing, settings.dryRun, (message) => probeWarnings.push(message)),
    files: prepareJobFiles(settings, env),
    dockerfile: dockerfileText,
  });
  planning.catch(() => undefined);
  notices.forEach(notice);
  checkPaths(settings);
  const dockerfile = await dockerfileText.catch(() => undefined);
  report.settings(settings, dockerfile);
  // Before anything runs: with `audit: error` a finding stops the step here, after the summary has it.
  report.record.audit = await runAudit(settings, workspace, dockerfile);
  stopOnAuditFindings(settings, report.record.audit);

  const { head, engine, names, tags, skipped, references, steps } = await planning;
  if (head.problem !== undefined) core.debug(`git could not read HEAD: ${head.problem}`);
  for (const skip of skipped) {
    notice(`Tag template "${skip.template}" skipped: {${skip.placeholder}} has no value on this run.`);
  }
  if (settings.testCommand === undefined) {
    notice('No `test-command` given: the image is built without running tests first.');
  }
  probeWarnings.forEach((message) => {
    core.warning(message);
  });
  report.resolved(tags, references, engine);
  logPlan(names, engine, tags, steps, settings.dryRun);
  return { settings, names, tags, references, steps };
}

async function main(env: NodeJS.ProcessEnv, report: RunReport): Promise<void> {
  const raw = readRawInputs(); // first: it masks the password before anything is logged
  const runner = new ExecRunner();
  const probing = probeEngineFast(runner, env, {
    onFallback: (reason) => {
      core.debug(`Engine probe through docker info: ${reason}`);
    },
  });
  probing.catch(() => undefined);
  // Local image reads go to the daemon's API the probe found. The lookups take the labels of an
  // image this machine holds from there, not from the registry.
  const imagesHere = probing.then((engine) => localImageReader(engine.daemonApi)).catch(() => cliOnly);
  const reader = prefetching(
    registryApi(env, (configDigest) => imagesHere.then((images) => localConfigLabels(images, configDigest))),
  );
  const { settings, names, tags, references, steps } = await core.group(
    'Resolve: settings, branch, tags and plan',
    () => resolve(env, raw, report, { runner, reader, probing }),
  );
  const images = await imagesHere;
  const execution = settings.dryRun
    ? undefined
    : await execute(steps, runner, actionLog, report.execution, signalGuard, {
        retries: settings.retries,
        reader,
        images,
        onBuilt: (imageId) => {
          report.measureImage(runner, imageId, images);
        },
      });
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
  // The summary needs nothing from the job's folder: both at once.
  await Promise.all([
    report.finish(),
    removeJobFiles().catch((error: unknown) => {
      core.warning(`Could not remove this job's temporary folder: ${errorMessage(error)}`);
    }),
  ]);
  closeConnections();
}
