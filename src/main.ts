import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { runAudit, stopOnAuditFindings } from './audit/run-audit.js';
import { commitAncestry } from './context/ancestry.js';
import { readRefContext } from './context/runner-context.js';
import { builderContext, engineForRun } from './docker/engine.js';
import { checkBase } from './execute/base-check.js';
import { cacheSource } from './execute/cache-source.js';
import { changedFiles } from './context/changed-files.js';
import { firstMisses } from './docker/build-steps.js';
import type { Step } from './plan/plan.js';
import { ExecRunner } from './execute/command-runner.js';
import { execute } from './execute/executor.js';
import { imageSize } from './execute/built-image.js';
import { signalGuard } from './execute/interrupt.js';
import { labelledCopy, prepareJobFiles, removeJobFiles } from './execute/job-files.js';
import { State } from './execute/state.js';
import { checkBuildSources } from './inputs/check-build-sources.js';
import { checkPaths } from './inputs/check-paths.js';
import { withoutEmptySecrets } from './inputs/empty-secrets.js';
import { errorMessage } from './shared/errors.js';
import type { RawInputs } from './inputs/input-names.js';
import type { Settings } from './inputs/settings.js';
import { parseInputs } from './inputs/parse-inputs.js';
import { readRawInputs } from './inputs/read-inputs.js';
import { yamlReaderFor } from './inputs/registry-auth.js';
import { defaultBranchImage, registryCacheImages } from './plan/cache-images.js';
import { makePlan } from './plan/plan.js';
import { closeConnections } from './registry/http-request.js';
import { type RegistryReader, registryApi } from './registry/registry-reader.js';
import { RunReport } from './report/run-report.js';
import { actionLog } from './shared/log.js';
import { collisionPolicy } from './tags/collision-policy.js';
import { type ImageNames, imageNames, referenceMotions } from './tags/resolve-tags.js';
import { decidePush } from './plan/fork-push.js';
import { laterNames, platformImages } from './tags/platform-tags.js';
import { laterSettings } from './plan/annotation-levels.js';
import { makeMergePlan } from './plan/merge-plan.js';

/**
 * A merge job (`merge: <platforms>`): context (git) -> tags -> engine -> plan. It builds nothing, so
 * it reads no Dockerfile: no audit, no base check.
 */
async function resolveMerge(
  env: NodeJS.ProcessEnv,
  requested: Settings & { merge: { kind: 'platforms'; platforms: string[] } },
  report: RunReport,
  runner: ExecRunner,
) {
  report.settings(requested, undefined);
  const context = await readRefContext(env, requested.workingDirectory, core.debug);
  const decision = decidePush(requested, context); // a fork's pull request pushes nothing
  if (decision.notice !== undefined) core.notice(decision.notice);
  const settings = { ...decision.settings, merge: requested.merge };
  const names = imageNames(settings, context, new Date());
  const engine = await engineForRun(runner, settings.dryRun, core.warning);
  const files = await prepareJobFiles(settings, env);
  const ancestry = commitAncestry({
    directory: settings.workingDirectory,
    token: settings.githubToken?.reveal(),
    repository: context.repository,
    pushedFrom: context.pushedFrom,
    sha: context.sha,
  });
  const steps = makeMergePlan({
    ...files,
    settings,
    engine,
    references: names.references,
    labels: names.labels,
    collisionPolicy: collisionPolicy(settings.onCollision, context),
    motions: referenceMotions(settings.images, names.tags), // moving tags as in a build job
    dockerContext: await builderContext(runner, settings.builder, engine),
    platformImages: platformImages(settings.images, context, settings.merge.platforms),
    sha: context.sha,
  });
  report.planned(names, engine, steps, settings);
  return { settings, names, steps, labels: names.labels, ancestry };
}

/** inputs -> audit -> context (git) -> tags -> engine -> base check -> plan, in the `Resolve` log group. */
async function resolve(
  env: NodeJS.ProcessEnv,
  raw: RawInputs,
  { report, runner, reader }: { report: RunReport; runner: ExecRunner; reader: RegistryReader },
) {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const parsed = parseInputs(raw, workspace, await yamlReaderFor(raw['registry-auth']));
  const usable = withoutEmptySecrets(parsed.settings.secrets, env);
  for (const notice of [...parsed.notices, ...usable.notices]) core.notice(notice);
  const { merge } = parsed.settings;
  const withSecrets = { ...parsed.settings, secrets: usable.secrets };
  if (merge?.kind === 'platforms') return resolveMerge(env, { ...withSecrets, merge }, report, runner);
  // A `merge: later` job leaves the index annotations to the merge job.
  const chosen = merge?.kind === 'later' ? laterSettings(withSecrets) : withSecrets;
  checkPaths(chosen);
  checkBuildSources(chosen, env);
  // git and the engine probe wait on other processes: they run while the audit reads the files.
  const reads = Promise.all([
    readRefContext(env, parsed.settings.workingDirectory, core.debug),
    engineForRun(runner, chosen.dryRun, core.warning),
  ]);
  reads.catch(() => undefined); // awaited below, unless the audit stops the run first
  const dockerfile = await readFile(chosen.file, 'utf8').catch(() => undefined);
  report.settings(chosen, dockerfile);
  // Before anything runs: with `audit: error` a finding stops the step here, after the summary has it.
  const findings = await runAudit(chosen, workspace, dockerfile);
  report.audited(findings);
  stopOnAuditFindings(chosen, findings);
  const [context, engine] = await reads;
  const userNames = imageNames(chosen, context, new Date());
  // A `merge: later` job pushes its platform tags only; the labels stay those of the merged image.
  const names =
    merge?.kind === 'later' ? laterNames(userNames, chosen.images, context, chosen.platforms) : userNames;
  const decision = decidePush(chosen, context); // a fork's pull request pushes nothing
  if (decision.notice !== undefined) core.notice(decision.notice);
  const settings = withBuildArgs(decision.settings, userNames);
  const ancestry = commitAncestry({
    directory: settings.workingDirectory,
    token: settings.githubToken?.reveal(),
    repository: context.repository,
    pushedFrom: context.pushedFrom,
    sha: context.sha,
  });
  const files = await prepareJobFiles(settings, env);
  const base = await checkBase(
    { settings, engine, dockerfile, names, reader, log: actionLog },
    report.record,
  );
  const cache = registryCacheImages(settings, context);
  const steps = makePlan({
    ...files,
    ...base, // the labels with the base image's, pullBase, upToDate
    settings,
    engine,
    references: names.references,
    collisionPolicy: collisionPolicy(settings.onCollision, context), // strict on a fork's pull request
    motions: referenceMotions(settings.images, names.tags),
    cacheImages: cache.images,
    stageCaches: cache.stages,
    defaultImage: defaultBranchImage(settings, context),
    dockerContext: await builderContext(runner, settings.builder, engine),
    labelledDockerfile: await labelledCopy(engine, files.jobDir, dockerfile, base.labels, settings),
    commitTime: context.commitTime,
  });
  report.planned(names, engine, steps, settings);
  return { settings, names, steps, labels: base.labels, ancestry };
}

/**
 * When a stage missed the cache: the cache image it could have come from, and the files changed since
 * the commit that image was built from (git), so the summary can say why.
 */
async function explainCacheMisses(
  settings: Settings,
  steps: Step[],
  report: RunReport,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (firstMisses(report.record.buildSteps.all()).length === 0) return;
  const source = cacheSource(steps, report.record);
  const changed =
    source?.revision === undefined
      ? undefined
      : (await changedFiles(settings.workingDirectory, source.revision, settings.context, env)).files;
  report.cacheSource(source, changed);
}

/** The settings with the build-args' placeholders filled; a line without a value is left out, and said so. */
function withBuildArgs(settings: Settings, names: ImageNames): Settings {
  for (const { line, placeholder } of names.buildArgs.skipped) {
    core.info(
      `Build argument "${line}" left out: {${placeholder}} has no value on this run (the Dockerfile's ARG default applies).`,
    );
  }
  return { ...settings, buildArgs: names.buildArgs.args };
}

/** The main step: resolve, execute, outputs; a failure is annotated, and the summary always written. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  core.saveState(State.IsPost, 'true');
  const report = new RunReport(env);
  const runner = new ExecRunner();
  const reader = registryApi(env);
  try {
    const raw = await readRawInputs(); // first: it masks the password before anything is logged
    const group = 'Resolve: settings, branch, tags and plan';
    const { settings, names, steps, labels, ancestry } = await core.group(group, () =>
      resolve(env, raw, { report, runner, reader }),
    );
    if (!settings.dryRun) {
      await execute(steps, runner, actionLog, report.record, signalGuard, {
        retries: settings.retries,
        reader,
        ancestry,
        onBuilt: (imageId) => {
          report.imageSize(imageSize(runner, imageId));
        },
      });
      await explainCacheMisses(settings, steps, report, env);
    }
    report.outputs(names, { labels, annotations: settings.annotations });
  } catch (error) {
    report.failed(error);
  }
  await report.finish();
  await removeJobFiles().catch((error: unknown) => {
    core.warning(`Could not remove this job's temporary folder: ${errorMessage(error)}`);
  });
  closeConnections();
}
