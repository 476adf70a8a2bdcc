// The run's one record: resolve fills what was asked, the executor what ran, step by step (so a
// failure leaves what happened before it); report renders it. It belongs to neither.
import type { Finding } from '../audit/finding.js';
import type { BuildCheck } from '../docker/build-checks.js';
import type { CacheStats, FailedStep } from '../docker/build-output.js';
import { BuildSteps } from '../docker/build-steps.js';
import type { SizeChange } from '../docker/size-change.js';
import type { BaseRecord, RebuildRecord } from '../plan/base-decision.js';
import type { Step } from '../plan/plan.js';
import type { FoundTag } from '../registry/registry-reader.js';

/**
 * The phases of a run, in order, as a failure names them; `resolve` covers inputs, git, tags and the
 * plan, a lookup or read-back serves the push, a cache pull the build (report/failure.ts).
 */
export type Phase = 'resolve' | 'tests' | 'login' | 'build' | 'test in image' | 'size check' | 'push';

/**
 * Which rule produced a tag. Shaped like the tag record of the tags module (`tag`, what it was
 * made from, the rule's name), so that record can be passed as it is.
 */
export interface TagOrigin {
  /** The tag as pushed. */
  tag: string;
  /** What it was made from before sanitising: the branch, `pr-12`, a template... */
  source: string;
  /** branch, pull request, tag, semver, latest, template... */
  rule: string;
}

/**
 * What one bar of the summary's phase chart stands for: the resolve phase or one kind of step, named
 * for what ran (a failure's Phase files the lookup under the push, the chart does not).
 */
export type Activity =
  | 'resolve'
  | 'tests'
  | 'login'
  | 'lookup'
  | 'cache pull'
  | 'build'
  | 'test in image'
  | 'size check'
  | 'push'
  | 'read-back';

/** What the phase chart and a failure call a kind of step. */
export const ACTIVITIES: Record<Step['kind'], Activity> = {
  test: 'tests',
  login: 'login',
  lookup: 'lookup',
  'cache-pull': 'cache pull',
  build: 'build',
  check: 'build',
  'test-in-image': 'test in image',
  push: 'push',
  verify: 'read-back',
  'size-check': 'size check',
  'platform-image': 'lookup',
  index: 'push',
};

/** One bar of the summary's phase chart: the resolve phase or one step that ran. */
export interface PhaseTiming {
  activity: Activity;
  /** The tag a lookup, cache pull, push or read-back was about; undefined for the other steps. */
  tag: string | undefined;
  /** The log group's title, e.g. `Push ghcr.io/acme/app:main`. */
  title: string;
  /** Seconds since the run started (`origin`). */
  start: number;
  seconds: number;
}

/** A line of the Dockerfile, relative to the workspace as annotations need it. */
export interface SourceLocation {
  file: string;
  line: number;
}

export interface Failure {
  phase: Phase;
  /** What ran when the run stopped (a lookup: the tag collision check); undefined before any step ran. */
  activity?: Activity | undefined;
  /** The whole explanation, as the step's error says it. */
  message: string;
  /** Exit code of the failing command, when a command failed. */
  exitCode: number | undefined;
  /** Its last lines of output, secrets removed. */
  output: readonly string[];
  /** The Dockerfile instruction a failed build stopped at, when it could be found. */
  location: SourceLocation | undefined;
}

/** The image the build's cache came from, as its labels tell: the commit it was built from, its base. */
export interface CacheSource {
  reference: string;
  revision: string | undefined;
  baseDigest: string | undefined;
  /** The digest of the build-args it was built with (BUILD_ARGS_LABEL); undefined: built before that label. */
  buildArgs: string | undefined;
}

/** Everything the summary, the annotations and the outputs show about one run; filled in as the run goes. */
export interface RunRecord {
  /** `performance.now()` (a monotonic clock) that the phases' starts count from. */
  origin: number;
  /** Repositories the image is tagged in. */
  images: string[];
  tags: TagOrigin[];
  /** Every full reference (repository:tag). */
  references: string[];
  push: boolean;
  dryRun: boolean;
  /** `docker buildx build` or the classic `docker build`; undefined before the engine was probed. */
  builder: 'buildx' | 'docker build' | undefined;
  /** The resolve phase, then every step that ran. */
  phases: PhaseTiming[];
  /** Digest the registry reported, per pushed reference, in push order. */
  digests: Map<string, string>;
  /** References not pushed because the registry already held the built image there. */
  alreadyInRegistry: string[];
  /** Moving tags left where they were: they hold a newer version or commit. */
  kept: string[];
  /** Image id from the build's iidfile. */
  imageId: string | undefined;
  /** Bytes, as `docker image inspect` reports it. */
  imageSize: number | undefined;
  /** Steps and cache hits the build printed; undefined when it printed no step. */
  cache: CacheStats | undefined;
  /** The last `Step k/n` the classic builder started: where a build without buildx stopped. */
  lastClassicStep: FailedStep | undefined;
  /** How the build differed from the defaults (no cache, pull, secret ids...), one fact each. */
  buildOptions: string[];
  /** The step that failed, when one did. */
  failedStep: Step | undefined;
  failure: Failure | undefined;
  /** Registry cache images pulled before the build. */
  cachePulled: string[];
  /**
   * The build's registry cache export ran past `push-timeout` and was stopped, after the image was
   * made: where it was writing (the every-stage cache, or `cache-to`), and the deadline.
   */
  cacheExportStopped: { target: string; seconds: number } | undefined;
  /** What the tags to be pushed held before the build, per reference, when they existed. */
  existing: Map<string, FoundTag>;
  /** The tags the lookups found missing from the registry. */
  missing: string[];
  /** Dockerfile audit findings (paths relative to the workspace); undefined when the audit is off. */
  audit: Finding[] | undefined;
  /** The base image the labels record; undefined for FROM scratch or before the check. */
  base: BaseRecord | undefined;
  /** `rebuild: base-changed` only: what the check decided. */
  rebuild: RebuildRecord | undefined;
  /** The JSON buildx wrote with `--metadata-file` (the `metadata` output); undefined without buildx. */
  buildMetadata: string | undefined;
  /** What `call: check` found: BuildKit's build check warnings. */
  buildChecks: BuildCheck[];
  /** The build's steps as BuildKit printed them: cached or not, and their seconds. */
  buildSteps: BuildSteps;
  /** The labels of the default branch's image as the size check read them (its revision, its base). */
  defaultImageLabels: Record<string, string> | undefined;
  /** The built image's size against the default branch's image, when both could be read. */
  sizeChange: SizeChange | undefined;
  /** The same as the summary shows it: the change and the layers that grew most. */
  size: SizeRecord | undefined;
  /**
   * When a stage missed the cache: the cache image it could have come from, and the files changed
   * since that image's commit (git); undefined when nothing missed.
   */
  cacheSource: { source: CacheSource | undefined; changed: string[] | undefined } | undefined;
  /** Per stage that ran steps, where and why it missed the cache (buildx only). */
  slowStages: SlowStage[];
}

/** A stage that ran steps: its first step not from the cache, why, and the seconds it spent from there. */
export interface SlowStage {
  stage: string | undefined;
  instruction: string;
  location: SourceLocation | undefined;
  seconds: number;
  reason: string;
}

/** The image's size against the default branch's, and the layers that grew most. */
export interface SizeRecord {
  /** `+38.2 MB (+26 %) against ghcr.io/acme/app:main` (see formatGrowth). */
  change: string;
  grew: { instruction: string | undefined; location: SourceLocation | undefined; bytes: number }[];
}

export function newRunRecord(origin = performance.now()): RunRecord {
  return {
    origin,
    images: [],
    tags: [],
    references: [],
    push: true,
    dryRun: false,
    builder: undefined,
    phases: [],
    digests: new Map(),
    alreadyInRegistry: [],
    kept: [],
    imageId: undefined,
    imageSize: undefined,
    cache: undefined,
    lastClassicStep: undefined,
    buildOptions: [],
    failedStep: undefined,
    failure: undefined,
    cachePulled: [],
    cacheExportStopped: undefined,
    existing: new Map(),
    missing: [],
    audit: undefined,
    base: undefined,
    rebuild: undefined,
    buildMetadata: undefined,
    buildChecks: [],
    buildSteps: new BuildSteps(),
    defaultImageLabels: undefined,
    sizeChange: undefined,
    size: undefined,
    cacheSource: undefined,
    slowStages: [],
  };
}

export type Outcome = 'pushed' | 'built only' | 'dry run' | 'unchanged' | `failed at ${Phase}`;

/** The one-line result of a run. */
export function outcomeOf(record: RunRecord): Outcome {
  if (record.failure !== undefined) return `failed at ${record.failure.phase}`;
  if (record.dryRun) return 'dry run';
  if (record.rebuild?.rebuilt === false) return 'unchanged';
  return record.push ? 'pushed' : 'built only';
}
