import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { runAudit, stopOnAuditFindings } from './audit/run-audit.js';
import { readRefContext } from './context/runner-context.js';
import { builderContext, engineForRun } from './docker/engine.js';
import { checkBase } from './execute/base-check.js';
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
import { registryCacheImages } from './plan/cache-images.js';
import { makePlan } from './plan/plan.js';
import { closeConnections } from './registry/http-get.js';
import { type RegistryReader, registryApi } from './registry/registry-reader.js';
import { RunReport } from './report/run-report.js';
import { actionLog } from './shared/log.js';
import { collisionPolicy } from './tags/collision-policy.js';
import { imageNames } from './tags/resolve-tags.js';
import { laterNames, platformImages } from './tags/platform-tags.js';
import { laterSettings } from './plan/annotation-levels.js';
import { makeMergePlan } from './plan/merge-plan.js';

/**
 * A merge job (`merge: <platforms>`): context (git) -> tags -> engine -> plan. It builds nothing, so
 * it reads no Dockerfile: no audit, no base check.
 */
async function resolveMerge(
  env: NodeJS.ProcessEnv,
  settings: Settings & { merge: { kind: 'platforms'; platforms: string[] } },
  report: RunReport,
  runner: ExecRunner,
) {
  report.settings(settings, undefined);
  const context = await readRefContext(env, settings.workingDirectory, core.debug);
  const names = imageNames(settings, context, new Date());
  const engine = await engineForRun(runner, settings.dryRun, core.warning);
  const files = await prepareJobFiles(settings, env);
  const steps = makeMergePlan({
    ...files,
    settings,
    engine,
    references: names.references,
    labels: names.labels,
    collisionPolicy: collisionPolicy(settings.onCollision, context),
    dockerContext: await builderContext(runner, settings.builder, engine),
    platformImages: platformImages(settings.images, context, settings.merge.platforms),
    sha: context.sha,
  });
  report.planned(names, engine, steps, settings);
  return { settings, names, steps, labels: names.labels };
}

/** inputs -> audit -> context (git) -> tags -> engine -> base check -> plan, in the `Resolve` log group. */
async function resolve(
  env: NodeJS.ProcessEnv,
  raw: RawInputs,
  { report, runner, reader }: { report: RunReport; runner: ExecRunner; reader: RegistryReader },
) {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const parsed = parseInputs(raw, workspace);
  const usable = withoutEmptySecrets(parsed.settings.secrets, env);
  for (const notice of [...parsed.notices, ...usable.notices]) core.notice(notice);
  const { merge } = parsed.settings;
  const withSecrets = { ...parsed.settings, secrets: usable.secrets };
  if (merge?.kind === 'platforms') return resolveMerge(env, { ...withSecrets, merge }, report, runner);
  // A `merge: later` job leaves the index annotations to the merge job.
  const settings = merge?.kind === 'later' ? laterSettings(withSecrets) : withSecrets;
  checkPaths(settings);
  checkBuildSources(settings, env);
  const dockerfile = await readFile(settings.file, 'utf8').catch(() => undefined);
  report.settings(settings, dockerfile);
  // Before anything runs: with `audit: error` a finding stops the step here, after the summary has it.
  const findings = await runAudit(settings, workspace, dockerfile);
  report.audited(findings);
  stopOnAuditFindings(settings, findings);
  const context = await readRefContext(env, settings.workingDirectory, core.debug);
  const userNames = imageNames(settings, context, new Date());
  // A `merge: later` job pushes its platform tags only; the labels stay those of the merged image.
  const names =
    merge?.kind === 'later' ? laterNames(userNames, settings.images, context, settings.platforms) : userNames;
  const engine = await engineForRun(runner, settings.dryRun, core.warning);
  const files = await prepareJobFiles(settings, env);
  const base = await checkBase(
    { settings, engine, dockerfile, names, reader, log: actionLog },
    report.record,
  );
  const steps = makePlan({
    ...files,
    ...base, // the labels with the base image's, pullBase, upToDate
    settings,
    engine,
    references: names.references,
    collisionPolicy: collisionPolicy(settings.onCollision, context), // strict on a fork's pull request
    cacheImages: registryCacheImages(settings, context),
    dockerContext: await builderContext(runner, settings.builder, engine),
    labelledDockerfile: await labelledCopy(engine, files.jobDir, dockerfile, base.labels, settings),
    commitTime: context.commitTime,
  });
  report.planned(names, engine, steps, settings);
  return { settings, names, steps, labels: base.labels };
}

/** The main step: resolve, execute, outputs; a failure is annotated, and the summary always written. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  core.saveState(State.IsPost, 'true');
  const report = new RunReport(env);
  const runner = new ExecRunner();
  const reader = registryApi(env);
  try {
    const raw = readRawInputs(); // first: it masks the password before anything is logged
    const group = 'Resolve: settings, branch, tags and plan';
    const { settings, names, steps, labels } = await core.group(group, () =>
      resolve(env, raw, { report, runner, reader }),
    );
    if (!settings.dryRun) {
      await execute(steps, runner, actionLog, report.record, signalGuard, {
        retries: settings.retries,
        reader,
        onBuilt: (imageId) => {
          report.imageSize(imageSize(runner, imageId));
        },
      });
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
