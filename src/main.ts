import * as core from '@actions/core';
import { runAudit, stopOnAuditFindings } from './audit/run-audit.js';
import { readRefContext } from './context/runner-context.js';
import { imageSize } from './execute/built-image.js';
import { ExecRunner } from './execute/command-runner.js';
import { runJob } from './execute/run-job.js';
import { State } from './execute/state.js';
import { readWorld } from './facts/world.js';
import type { RawInputs } from './inputs/input-names.js';
import { readJobInputs } from './inputs/job-inputs.js';
import { readRawInputs } from './inputs/read-inputs.js';
import { planJob } from './plan/job-plan.js';
import { newRunRecord } from './record/run-record.js';
import { closeConnections } from './registry/http-request.js';
import { type RegistryReader, registryApi } from './registry/registry-reader.js';
import { RunReport } from './report/run-report.js';
import { actionLog, tell } from './shared/log.js';
import { jobNames } from './tags/job-names.js';

/**
 * One pass, in the `Resolve` log group: inputs (and the Dockerfile's audit) -> context (git) -> tags
 * -> facts (engine, base image, registry) -> plan. A merge job takes the same pass; its settings say
 * what differs (no Dockerfile, so no audit and no base; the index instead of a build).
 */
async function resolve(
  env: NodeJS.ProcessEnv,
  raw: RawInputs,
  { report, runner, reader }: { report: RunReport; runner: ExecRunner; reader: RegistryReader },
) {
  const inputs = await readJobInputs(raw, env);
  for (const notice of inputs.notices) core.notice(notice);
  report.settings(inputs.settings, inputs.dockerfile?.text);
  if (inputs.dockerfile !== undefined) {
    // Before anything runs: with `audit: error` a finding stops the step here, after the summary has it.
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const findings = await runAudit(inputs.settings, workspace, inputs.dockerfile.text);
    report.audited(findings);
    stopOnAuditFindings(inputs.settings, findings);
  }
  const context = await readRefContext(env, inputs.settings.workingDirectory, core.debug);
  const { settings, names, notes } = jobNames(inputs.settings, context, new Date());
  tell(actionLog, notes);
  const facts = await readWorld({
    settings,
    dockerfile: inputs.dockerfile,
    reference: names.references[0],
    env,
    runner,
    reader,
    log: actionLog,
  });
  const plan = planJob({ settings, dockerfile: inputs.dockerfile?.text, context, names, facts });
  report.planned(names, plan, settings);
  return { settings, context, names, plan };
}

/** The main step: resolve, execute, outputs; a failure is annotated, and the summary always written. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  core.saveState(State.IsPost, 'true');
  const record = newRunRecord();
  const report = new RunReport(env, record);
  const runner = new ExecRunner();
  const reader = registryApi(env);
  try {
    const raw = await readRawInputs(); // first: it masks the password before anything is logged
    const group = 'Resolve: settings, branch, tags and plan';
    const { settings, context, names, plan } = await core.group(group, () =>
      resolve(env, raw, { report, runner, reader }),
    );
    if (!settings.dryRun) {
      await runJob(plan, {
        settings,
        context,
        env,
        runner,
        reader,
        log: actionLog,
        record,
        onBuilt: (imageId) => {
          report.imageSize(imageSize(runner, imageId));
        },
      });
    }
    report.outputs(names, { labels: plan.labels, annotations: settings.annotations });
  } catch (error) {
    report.failed(error);
  }
  await report.finish();
  closeConnections();
}
