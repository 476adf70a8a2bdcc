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
import { type Log, newExecution } from '../execute/execution.js';
import { failureOf } from './failure.js';
import { phaseTimings } from './phase-timings.js';
import { INPUT_NAMES } from '../inputs/input-names.js';
import { emptyRecord } from '../record/run-record.js';
import { logPlan } from './plan-log.js';
import type { Outputs } from './outputs.js';
import type { Step } from '../plan/plan.js';
import type { ImageNames } from '../tags/resolve-tags.js';
import type { Settings } from '../inputs/settings.js';
import type { Secret } from '../shared/secret.js';
import { buildOptionFacts } from './build-options.js';
import { renderSummary } from './summary.js';

/** The executor's log: groups, lines, and (with step debug logging) commands and timings. */
export const actionLog: Log = {
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
  debug: (message) => {
    core.debug(message);
  },
};

export function emit(annotation: Annotation): void {
  if (annotation.level === 'error') core.error(annotation.message, annotation.properties);
  else core.warning(annotation.message, annotation.properties);
}

/** Every secret value of the settings: the password and the `secrets` values. */
function secretsOf(settings: Settings | undefined): Secret[] {
  if (settings === undefined) return [];
  const values = settings.secrets.flatMap((secret) => (secret.source === 'value' ? [secret.value] : []));
  return [...(settings.credentials === undefined ? [] : [settings.credentials.password]), ...values];
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
  readonly record = emptyRecord();
  readonly execution = newExecution();
  readonly #env: NodeJS.ProcessEnv;
  #settings: Settings | undefined;
  #dockerfile: { file: string; text: string } | undefined;
  #sizing: Promise<void> | undefined;
  #resolveSeconds: number | undefined;

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
      credentialsInDryRun: settings.dryRun && settings.credentials !== undefined,
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
    for (const { template, placeholder } of names.skipped) {
      core.notice(`Tag template "${template}" skipped: {${placeholder}} has no value on this run.`);
    }
    if (settings.testCommand === undefined) {
      core.notice('No `test-command` given: the image is built without running tests first.');
    }
    const { tags, references } = names;
    Object.assign(this.record, { tags, references, builder: engine.buildx ? 'buildx' : 'docker build' });
    this.#resolveSeconds = (monotonicMs() - this.execution.origin) / 1000;
    logPlan(names.names, engine, tags, steps, settings.dryRun);
  }

  /** Sets the step's outputs and prints them in their own log group. */
  outputs(outputs: Outputs): void {
    core.startGroup('Outputs');
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

  /** Records why the run stopped and annotates it; the step fails (exit code 1). */
  failed(thrown: unknown): void {
    const secrets = secretsOf(this.#settings);
    try {
      this.record.failure = failureOf(thrown, {
        execution: this.execution,
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

  /** Completes the record from the execution and writes the job summary (unless `summary: false`). */
  async finish(): Promise<void> {
    const { execution, record } = this;
    await this.#sizing;
    if (this.#resolveSeconds !== undefined) {
      record.phases = phaseTimings(this.#resolveSeconds, execution.timings);
    }
    record.digests = [...execution.digests];
    record.alreadyInRegistry = execution.alreadyInRegistry;
    record.imageId = execution.imageId;
    record.cache = execution.buildOutput.cache();
    record.base = execution.base;
    record.rebuild = execution.rebuild;
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
