// The run's record as the executor fills it, and what the executor is given: read by report/.
import { BuildOutputCounter } from '../docker/build-output.js';
import type { RemoteImage } from '../docker/remote-image.js';
import type { Step } from '../plan/plan.js';
import type { RegistryReader } from '../registry/registry-reader.js';
import { monotonicMs } from '../shared/duration.js';
import type { BaseRecord, RebuildRecord } from '../record/run-record.js';
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
  /** The base image the labels record (execute/base-check.ts); undefined: no base labels. */
  base: BaseRecord | undefined;
  /** `rebuild: base-changed` only: whether the base check found anything to rebuild. */
  rebuild: RebuildRecord | undefined;
}

export function newExecution(origin = monotonicMs()): Execution {
  return {
    origin,
    imageId: undefined,
    digests: new Map(),
    timings: [],
    buildOutput: new BuildOutputCounter(),
    failedStep: undefined,
    cachePulled: [],
    existing: new Map(),
    alreadyInRegistry: [],
    missing: [],
    base: undefined,
    rebuild: undefined,
  };
}
