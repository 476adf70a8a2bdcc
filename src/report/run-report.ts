import * as core from '@actions/core';
import {
  type Annotation,
  failureAnnotation,
  ignoredInputsWarnings,
  unknownInputs,
  unknownInputsWarning,
} from './annotations.js';
import { undeclaredBuildArgs } from '../plan/dockerfile-model.js';
import { formatSeconds } from '../shared/duration.js';
import { errorMessage } from '../shared/errors.js';
import type { RunRecord } from '../record/run-record.js';
import type { BaseDecision } from '../plan/base-decision.js';
import type { JobPlan } from '../plan/job-plan.js';
import { actionLog, tell } from '../shared/log.js';
import { failureOf } from './failure.js';
import { INPUT_NAMES } from '../inputs/input-names.js';
import type { Finding } from '../audit/finding.js';
import { logPlan } from './plan-log.js';
import { collectOutputs } from './outputs.js';
import { metadataOutputs } from './metadata-outputs.js';
import type { ImageNames } from '../tags/resolve-tags.js';
import { buildArgsDigest } from '../tags/labels.js';
import type { Settings } from '../inputs/settings.js';
import type { Secret } from '../shared/secret.js';
import { stepLogins } from '../inputs/logins.js';
import { buildOptionFacts } from './build-options.js';
import { buildCheckAnnotations } from './annotations.js';
import { renderSummary } from './summary.js';
import { relativeDockerfile, sizeRecord } from './size-record.js';
import { type CacheFacts, slowStages } from './slow-steps.js';
import { cacheMode, finalStageLabel } from './cache-mode.js';
import { firstMisses } from '../docker/build-steps.js';
import type { SlowStage } from '../record/run-record.js';

export function emit(annotation: Annotation): void {
  if (annotation.level === 'error') core.error(annotation.message, annotation.properties);
  else core.warning(annotation.message, annotation.properties);
}

/** Every secret value of the settings: the passwords of the logins, the token and the `secrets` values. */
function secretsOf(settings: Settings | undefined): Secret[] {
  if (settings === undefined) return [];
  const values = settings.secrets.flatMap((secret) => (secret.source === 'value' ? [secret.value] : []));
  return [
    ...stepLogins(settings).map((login) => login.password),
    ...(settings.githubToken === undefined ? [] : [settings.githubToken]),
    ...values,
  ];
}

/** The settings as `key = value` lines; the password and secrets show as `***` (Secret's JSON form). */
export function settingsLines(settings: Settings): string[] {
  return Object.entries(settings).map(
    ([key, value]) => `${key} = ${value === undefined ? 'undefined' : JSON.stringify(value)}`,
  );
}

/**
 * Records the run as it goes (settings, tags, each step, a failure) and, at the end, writes the job
 * summary from that record and annotates a failure where it happened. Main calls it at each stage.
 */
export class RunReport {
  readonly #record: RunRecord;
  readonly #env: NodeJS.ProcessEnv;
  #settings: Settings | undefined;
  #dockerfile: { file: string; text: string } | undefined;
  #sizing: Promise<void> | undefined;
  #cacheMode: CacheFacts['mode'] = 'none';
  #finalStage: string | undefined;

  /** `record` is the run's, which resolve and the executor fill; this reads it, and adds what it was told. */
  constructor(env: NodeJS.ProcessEnv, record: RunRecord) {
    this.#env = env;
    this.#record = record;
  }

  /**
   * Inputs read: warns about inputs unknown or set but ignored, and prints the settings. `text` is
   * the Dockerfile's, undefined when it could not be read.
   */
  settings(settings: Settings, text: string | undefined): void {
    this.#settings = settings;
    unknownInputsWarning(unknownInputs(this.#env, INPUT_NAMES), INPUT_NAMES).forEach(emit);
    Object.assign(this.#record, {
      images: settings.images,
      push: settings.push,
      dryRun: settings.dryRun,
      buildOptions: buildOptionFacts(settings),
    });
    if (text !== undefined) this.#dockerfile = { file: settings.file, text };
    ignoredInputsWarnings({
      credentialsInDryRun: settings.dryRun && stepLogins(settings).length > 0,
      undeclaredBuildArgs: text === undefined ? [] : undeclaredBuildArgs(text, settings.buildArgs),
    }).forEach(emit);
    // One write for all lines: each write to the runner's pipe is a system call.
    core.info(['Settings:', ...settingsLines(settings).map((line) => `  ${line}`)].join('\n'));
  }

  /**
   * Tags, facts and plan known, the resolve phase ends here: notes tags skipped and tests not run,
   * says and records what the plan made of the base image, records the tags and the builder, and
   * prints the plan.
   */
  planned(names: ImageNames, plan: JobPlan, settings: Settings): void {
    // The settings as the job runs them: a fork's pull request pushes nothing, build-args are filled.
    this.#settings = settings;
    this.#record.push = settings.push;
    const { engine, steps, base } = plan;
    if (base !== undefined) this.#based(base);
    for (const { template, placeholder, reason } of names.skipped) {
      core.notice(
        `Tag template "${template}" skipped: ${reason ?? `{${placeholder}} has no value on this run`}.`,
      );
    }
    if (settings.testCommand === undefined && settings.merge?.kind !== 'platforms') {
      core.notice('No `test-command` given: the image is built without running tests first.');
    }
    const { tags, references } = names;
    Object.assign(this.#record, { tags, references, builder: engine.buildx ? 'buildx' : 'docker build' });
    const seconds = (performance.now() - this.#record.origin) / 1000;
    this.#record.phases.unshift({ activity: 'resolve', tag: undefined, title: 'Resolve', start: 0, seconds });
    this.#cacheMode = cacheMode(settings, steps);
    this.#finalStage = finalStageLabel(this.#dockerfile?.text, settings.target);
    logPlan(names.names, engine, tags, steps, settings.dryRun);
  }

  /** The base the labels record and, with `rebuild: base-changed`, what was decided; an unchanged tag's digest and image id become the run's. */
  #based(decision: BaseDecision): void {
    tell(actionLog, decision.notes);
    this.#record.base = decision.base;
    this.#record.rebuild = decision.rebuild;
    if (decision.upToDate !== undefined) {
      this.#record.digests.set(decision.upToDate.reference, decision.upToDate.digest);
      this.#record.imageId = decision.upToDate.imageId;
    }
  }

  /** The audit's findings (undefined: the audit is off). */
  audited(findings: Finding[] | undefined): void {
    this.#record.audit = findings;
  }

  /**
   * Sets the step's outputs from the names, the image's labels and annotations and the record, and
   * prints them in their own log group.
   */
  outputs(
    names: ImageNames,
    { labels, annotations }: { labels: Readonly<Record<string, string>>; annotations: readonly string[] },
  ): void {
    core.startGroup('Outputs');
    const outputs = {
      ...collectOutputs(
        names.names.branch,
        names.tags,
        names.references,
        this.#record,
        names.version,
        this.#settings?.call === 'check',
      ),
      ...metadataOutputs({ ...names, labels, annotations, record: this.#record }),
    };
    for (const [key, value] of Object.entries(outputs)) {
      core.setOutput(key, value);
      core.info(`${key} = ${value}`);
    }
    core.endGroup();
  }

  /** The built image's size, asked for while the pushes run; `finish` waits for it. Unknown: left out. */
  imageSize(size: Promise<number | undefined>): void {
    this.#sizing = size.then(
      (bytes) => {
        if (bytes !== undefined) this.#record.imageSize = bytes;
      },
      () => undefined,
    );
  }

  /** Records why the run stopped and annotates it; the step fails (exit code 1). */
  failed(thrown: unknown): void {
    const secrets = secretsOf(this.#settings);
    try {
      this.#record.failure = failureOf(thrown, {
        record: this.#record,
        dockerfile: this.#dockerfile,
        workspace: this.#env.GITHUB_WORKSPACE || process.cwd(),
        redact: (text) => secrets.reduce((redacted, secret) => secret.redact(redacted), text),
      });
      emit(failureAnnotation(this.#record.failure));
    } catch (error) {
      core.error(errorMessage(thrown));
      core.debug(`Could not describe the failure: ${errorMessage(error)}`);
    }
    process.exitCode = core.ExitCode.Failure;
  }

  #slowStages(): SlowStage[] {
    const misses = firstMisses(this.#record.buildSteps.all());
    if (misses.length === 0 || this.#settings === undefined) return [];
    const facts: CacheFacts = {
      noCache: this.#settings.noCache,
      mode: this.#cacheMode,
      source: this.#record.cacheSource?.source,
      changed: this.#record.cacheSource?.changed,
      baseDigest: this.#record.base?.digest,
      buildArgs: {
        digest: buildArgsDigest(this.#settings.buildArgs),
        names: this.#settings.buildArgs.map((arg) => arg.split('=', 1)[0] ?? ''),
      },
      finalStage: this.#finalStage,
    };
    const workspace = this.#env.GITHUB_WORKSPACE || process.cwd();
    const dockerfile =
      this.#dockerfile === undefined
        ? undefined
        : { file: relativeDockerfile(this.#dockerfile.file, workspace), text: this.#dockerfile.text };
    return slowStages(misses, facts, dockerfile);
  }

  /** Completes the record (slow stages, size) and writes the job summary (unless `summary: false`). */
  async finish(): Promise<void> {
    const record = this.#record;
    await this.#sizing;
    buildCheckAnnotations(
      record.buildChecks,
      this.#settings?.file ?? 'Dockerfile',
      this.#env.GITHUB_WORKSPACE || process.cwd(),
    ).forEach(emit);
    record.slowStages = this.#slowStages();
    if (record.sizeChange !== undefined) {
      const workspace = this.#env.GITHUB_WORKSPACE || process.cwd();
      record.size = sizeRecord(record.sizeChange, this.#dockerfile, workspace);
    }
    for (const phase of record.phases)
      core.debug(`Timing: ${phase.title} took ${formatSeconds(phase.seconds)}`);
    if (this.#settings?.summary === false || !this.#env.GITHUB_STEP_SUMMARY) return;
    try {
      await core.summary.addRaw(renderSummary(record)).write();
    } catch (error) {
      core.warning(`Could not write the job summary: ${errorMessage(error)}`);
    }
  }
}
