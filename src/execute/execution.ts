// The run's record as the executor fills it, and what the executor is given: read by report/.
import type { CommitAncestry } from '../context/ancestry.js';
import { BuildOutputCounter } from '../docker/build-output.js';
import { BuildSteps } from '../docker/build-steps.js';
import type { SizeChange } from '../docker/size-change.js';
import type { RemoteImage } from '../docker/remote-image.js';
import type { BuildCheck } from '../docker/build-checks.js';
import type { Step } from '../plan/plan.js';
import type { RegistryReader } from '../registry/registry-reader.js';
import { monotonicMs } from '../report/duration.js';
import type { BaseRecord, RebuildRecord } from '../report/run-record.js';
import type { Sleep } from './retry.js';

/** Where the executor reports progress; main passes @actions/core, tests a recorder. */
export interface Log {
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  /** Shown only with step debug logging (RUNNER_DEBUG). */
  debug(message: string): void;
}

/** How pushes are retried; tests pass a sleep that does not wait. */
export interface ExecuteOptions {
  retries: number;
  /** Reads tags from the registry in-process; without one, every read runs docker. */
  reader?: RegistryReader;
  /** Whether one commit contains another: a branch's tag never moves back to an older commit. */
  ancestry?: CommitAncestry;
  /** Called once the build has produced an image (before the pushes), with its id. */
  onBuilt?: (imageId: string) => void;
  sleep?: Sleep;
  random?: () => number;
}

export interface StepTiming {
  kind: Step['kind'];
  title: string;
  /** The reference a lookup, cache pull, push or read-back was about (the summary's chart names it). */
  reference: string | undefined;
  /** When the step started, in seconds since the execution's `origin`. */
  start: number;
  seconds: number;
}

/** What the run did so far; filled step by step, so a failure leaves what happened before it. */
export interface Execution {
  /** `monotonicMs()` that timings count from. */
  origin: number;
  /** Image id from the build's iidfile. */
  imageId: string | undefined;
  /** Digest the registry reported, per pushed reference, in push order. */
  digests: Map<string, string>;
  timings: StepTiming[];
  /** Counts the build's steps and cache hits while it prints. */
  buildOutput: BuildOutputCounter;
  /** The build's steps as BuildKit printed them: cached or not, and their seconds. */
  buildSteps: BuildSteps;
  /** The labels of the default branch's image as the size check read them (its revision, its base). */
  defaultImageLabels: Record<string, string> | undefined;
  /** The step that failed, when one did. */
  failedStep: Step | undefined;
  /** Registry cache images pulled before the build. */
  cachePulled: string[];
  /** What the tags to be pushed held before the build, per reference, when they existed. */
  existing: Map<string, RemoteImage & { found: true }>;
  /** The references not pushed because the registry already held the built image there. */
  alreadyInRegistry: string[];
  /** The tags the lookups found missing from the registry. */
  missing: string[];
  /** Moving tags left where they are (they hold a newer version or commit): not pushed. */
  kept: string[];
  /** The base image the labels record (execute/base-check.ts); undefined: no base labels. */
  base: BaseRecord | undefined;
  /** `rebuild: base-changed` only: whether the base check found anything to rebuild. */
  rebuild: RebuildRecord | undefined;
  /** The JSON buildx wrote with `--metadata-file` (the `metadata` output); undefined without buildx. */
  buildMetadata: string | undefined;
  /** What `call: check` found: BuildKit's build check warnings. */
  buildChecks: BuildCheck[];
  /** The built image's size against the default branch's image, when both could be read. */
  sizeChange: SizeChange | undefined;
}

export function newExecution(origin = monotonicMs()): Execution {
  return {
    origin,
    imageId: undefined,
    digests: new Map(),
    timings: [],
    buildOutput: new BuildOutputCounter(),
    buildSteps: new BuildSteps(),
    defaultImageLabels: undefined,
    failedStep: undefined,
    cachePulled: [],
    existing: new Map(),
    alreadyInRegistry: [],
    missing: [],
    kept: [],
    base: undefined,
    rebuild: undefined,
    buildMetadata: undefined,
    buildChecks: [],
    sizeChange: undefined,
  };
}
