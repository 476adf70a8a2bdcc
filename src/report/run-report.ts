import * as core from '@actions/core';
import {
  type Annotation,
  failureAnnotation,
  ignoredInputsWarnings,
  unknownInputs,
  unknownInputsWarning,
} from './annotations.js';
import { type Engine } from '../docker/engine-info.js';
import { undeclaredBuildArgs } from '../plan/dockerfile-args.js';
import { formatSeconds, monotonicMs } from '../shared/duration.js';
import { errorMessage } from '../shared/errors.js';
import { newRunRecord } from '../record/run-record.js';
import { failureOf } from './failure.js';
import { INPUT_NAMES } from '../inputs/input-names.js';
import type { Finding } from '../audit/finding.js';
import { logPlan } from './plan-log.js';
import { collectOutputs } from './outputs.js';
import { metadataOutputs } from './metadata-outputs.js';
import type { Step } from '../plan/plan.js';
import type { ImageNames } from '../tags/resolve-tags.js';
import { buildArgsDigest } from '../tags/labels.js';
import type { Settings } from '../inputs/settings.js';
import type { Secret } from '../shared/secret.js';
import { stepLogins } from '../inputs/logins.js';
import { buildOptionFacts } from './build-options.js';
import { buildCheckAnnotations } from './build-check-annotations.js';
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
  readonly record = newRunRecord();
  readonly #env: NodeJS.ProcessEnv;
  #settings: Settings | undefined;
  #dockerfile: { file: string; text: string } | undefined;
  #sizing: Promise<void> | undefined;
  #cacheMode: CacheFacts['mode'] = 'none';
  #finalStage: string | undefined;
  #cacheSource: { source: CacheFacts['source']; changed: string[] | undefined } | undefined;

  constructor(env: NodeJS.ProcessEnv) {
    this.#env = env;
  }

  /**
   * Inputs read: warns about inputs unknown or set but ignored, and prints the settings. `text` is
   * the Dockerfile's, undefined when it could not be read.
   */
  settings(settings: Settings, text: string | undefined): void {
    this.#settings = settings;
    unknownInputsWarning(unknownInputs(this.#env, INPUT_NAMES), INPUT_NAMES).forEach(emit);
    Object.assign(this.record, {
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
   * Tags, engine and plan known, the resolve phase ends here: notes tags skipped and tests not
   * run, records the tags and the builder, and prints the plan.
   */
  planned(names: ImageNames, engine: Engine, steps: Step[], settings: Settings): void {
    for (const { template, placeholder, reason } of names.skipped) {
      core.notice(
        `Tag template "${template}" skipped: ${reason ?? `{${placeholder}} has no value on this run`}.`,
      );
    }
    if (settings.testCommand === undefined && settings.merge?.kind !== 'platforms') {
      core.notice('No `test-command` given: the image is built without running tests first.');
    }
    const { tags, references } = names;
    Object.assign(this.record, { tags, references, builder: engine.buildx ? 'buildx' : 'docker build' });
    const seconds = (monotonicMs() - this.record.origin) / 1000;
    this.record.phases.unshift({ activity: 'resolve', tag: undefined, title: 'Resolve', start: 0, seconds });
    this.#cacheMode = cacheMode(settings, steps);
    this.#finalStage = finalStageLabel(this.#dockerfile?.text, settings.target);
    logPlan(names.names, engine, tags, steps, settings.dryRun);
  }

  /** The audit's findings (undefined: the audit is off). */
  audited(findings: Finding[] | undefined): void {
    this.record.audit = findings;
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
      ...collectOutputs(names.names.branch, names.tags, names.references, this.record, names.version),
      ...metadataOutputs({ ...names, labels, annotations, record: this.record }),
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
        if (bytes !== undefined) this.record.imageSize = bytes;
      },
      () => undefined,
    );
  }

  /** The cache image the build started from, and the files changed since its commit (for the slow steps). */
  cacheSource(source: CacheFacts['source'], changed: string[] | undefined): void {
    this.#cacheSource = { source, changed };
  }

  /** Records why the run stopped and annotates it; the step fails (exit code 1). */
  failed(thrown: unknown): void {
    const secrets = secretsOf(this.#settings);
    try {
      this.record.failure = failureOf(thrown, {
        record: this.record,
        dockerfile: this.#dockerfile,
        workspace: this.#env.GITHUB_WORKSPACE || process.cwd(),
        redact: (text) => secrets.reduce((redacted, secret) => secret.redact(redacted), text),
      });
      emit(failureAnnotation(this.record.failure));
    } catch (error) {
      core.error(errorMessage(thrown));
      core.debug(`Could not describe the failure: ${errorMessage(error)}`);
    }
    process.exitCode = core.ExitCode.Failure;
  }

  #slowStages(): SlowStage[] {
    const misses = firstMisses(this.record.buildSteps.all());
    if (misses.length === 0 || this.#settings === undefined) return [];
    const facts: CacheFacts = {
      noCache: this.#settings.noCache,
      mode: this.#cacheMode,
      source: this.#cacheSource?.source,
      changed: this.#cacheSource?.changed,
      baseDigest: this.record.base?.digest,
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
    const { record } = this;
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
