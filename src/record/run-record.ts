import type { Finding } from '../audit/finding.js';
import type { CacheStats } from '../docker/build-output.js';

/** The phases of a run, in order; `resolve` covers inputs, git, tags and the plan. */
export type Phase = 'resolve' | 'tests' | 'login' | 'build' | 'test in image' | 'push';

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
  'resolve' | 'tests' | 'login' | 'lookup' | 'cache pull' | 'build' | 'test in image' | 'push' | 'read-back';

export interface PhaseTiming {
  activity: Activity;
  /** The tag a lookup, cache pull, push or read-back was about; undefined for the other steps. */
  tag: string | undefined;
  /** The log group's title, e.g. `Push ghcr.io/acme/app:main`. */
  title: string;
  /** Seconds since the run started. */
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
  /** The whole explanation, as the step's error says it. */
  message: string;
  /** Exit code of the failing command, when a command failed. */
  exitCode: number | undefined;
  /** Its last lines of output, secrets removed. */
  output: readonly string[];
  /** The Dockerfile instruction a failed build stopped at, when it could be found. */
  location: SourceLocation | undefined;
}

/** The base image the labels record: its name, and the digest it resolved to when that was read. */
export interface BaseRecord {
  name: string;
  digest: string | undefined;
}

/** What `rebuild: base-changed` found when it compared the base the tag's image records with now. */
export type RebuildRecord =
  | { rebuilt: false; reference: string; since: string | undefined }
  | { rebuilt: true; reason: string; previousDigest: string | undefined };

/** Everything the summary and the annotations show about one run; filled in as the run goes. */
export interface RunRecord {
  /** Repositories the image is tagged in. */
  images: string[];
  tags: TagOrigin[];
  /** Every full reference (repository:tag). */
  references: string[];
  push: boolean;
  dryRun: boolean;
  /** `docker buildx build` or the classic `docker build`; undefined before the engine was probed. */
  builder: 'buildx' | 'docker build' | undefined;
  phases: PhaseTiming[];
  /** Digest the registry reported, per pushed reference, in push order. */
  digests: [reference: string, digest: string][];
  /** References not pushed because the registry already held the built image there. */
  alreadyInRegistry: string[];
  imageId: string | undefined;
  /** Bytes, as `docker image inspect` reports it. */
  imageSize: number | undefined;
  cache: CacheStats | undefined;
  /** How the build differed from the defaults (no cache, pull, secret ids...), one fact each. */
  buildOptions: string[];
  failure: Failure | undefined;
  /** Dockerfile audit findings (paths relative to the workspace); undefined when the audit is off. */
  audit: Finding[] | undefined;
  /** The base image the labels record; undefined for FROM scratch or before the check. */
  base: BaseRecord | undefined;
  /** `rebuild: base-changed` only: what the check decided. */
  rebuild: RebuildRecord | undefined;
}

export function emptyRecord(): RunRecord {
  return {
    images: [],
    tags: [],
    references: [],
    push: true,
    dryRun: false,
    builder: undefined,
    phases: [],
    digests: [],
    alreadyInRegistry: [],
    imageId: undefined,
    imageSize: undefined,
    cache: undefined,
    buildOptions: [],
    failure: undefined,
    audit: undefined,
    base: undefined,
    rebuild: undefined,
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
