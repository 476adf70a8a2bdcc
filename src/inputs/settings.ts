import type { SizeLimit } from './size-limit.js';
import type { AuditMode, RuleId } from './audit-inputs.js';
import type { InImageCommand } from './in-image-command.js';
import type { Secret } from '../shared/secret.js';
import type { BuildSecret } from './secret-inputs.js';
import type { BuildCall, BuildExport } from './export-inputs.js';
import type { LoginWithoutPassword, RegistryLogin } from './registry-auth.js';

/** What to do when a tag to push already exists and was built from another ref. */
export type OnCollision = 'fail' | 'warn' | 'overwrite';

/** `always`: every run builds; `base-changed`: only when the base image moved since the last push. */
export type RebuildPolicy = 'always' | 'base-changed';

/**
 * `merge` input: undefined builds and publishes as usual; `later` builds this job's platforms and
 * pushes them under per-platform tags only; `platforms` publishes one index of those images.
 */
export type Merge = { kind: 'later' } | { kind: 'platforms'; platforms: string[] };

/** When the image also gets `latest`; `default-branch`: on runs of the default branch only. */
export type LatestPolicy = 'auto' | 'always' | 'never' | 'default-branch';

/** Everything the action was asked to do, validated and normalised once; the contract for the rest. */
export interface Settings {
  /** Repositories to tag and push, lower-cased, each with its registry host when it has one. */
  images: string[];
  /** Registry host[:port] to log in to; undefined means Docker Hub. */
  loginRegistry: string | undefined;
  /** Credentials to log in with; undefined: use whatever login the runner already has. */
  credentials: { username: string; password: Secret } | undefined;
  /** Further logins (`registry-auth`, login-action's format), one per registry; see inputs/logins.ts. */
  registryAuth: RegistryLogin[];
  /**
   * Logins asked for whose password is empty (a fork's pull request gets empty secrets): left out
   * there, an error naming the input elsewhere (plan/fork-push.ts decides, once the context is known).
   */
  loginsWithoutPassword: LoginWithoutPassword[];
  /** Tag templates, one per line of `tag`. */
  tagTemplates: string[];
  /** On a semantic-version git tag, also tag the bare version, `major.minor` and `major`. */
  semver: boolean;
  /**
   * `auto`: on runs for a git tag that is not a pre-release; `always`: every run; `never`;
   * `default-branch`: on runs of the default branch (never a tag, never a pull request).
   */
  latest: LatestPolicy;
  /** `labels` input: added to the standard OCI labels, replacing those with the same key. */
  labels: Record<string, string>;
  /** Shell code run with `bash -eo pipefail` before building; undefined: no tests. */
  testCommand: string | undefined;
  /** Test run inside the built image after the build and before any push; undefined: none. */
  testInImage: InImageTest | undefined;
  /** Absolute directory the tests run in, and that `context` and `file` are relative to. */
  workingDirectory: string;
  /** Absolute build context. */
  context: string;
  /** Absolute path of the Dockerfile. */
  file: string;
  /** `KEY=VALUE` build arguments; the values may hold placeholders (`{version}`), which the tags stage fills. */
  buildArgs: string[];
  /**
   * Use the registry as the build cache: image:<ref> (else image:<default branch>) as cache sources,
   * and the cache metadata written into the pushed image (buildx) so the next run can use it.
   */
  cache: boolean;
  /** Further buildx `--cache-from` values (`cache-from`, one per line), passed through. */
  cacheFrom: string[];
  /** buildx `--cache-to` values (`cache-to`, one per line); they replace the inline cache of `cache`. */
  cacheTo: string[];
  /** Named buildx builder to build with; undefined: the current builder. */
  builder: string | undefined;
  /**
   * Stamp the image with the commit's time (the exporter's source-date-epoch) rather than the build's,
   * so the same commit builds the same image where the engine can (buildx on Docker 23+, on the
   * containerd image store or a builder of its own).
   */
  reproducible: boolean;
  /** Target platforms for buildx (os/arch[/variant]); empty: the builder's own. */
  platforms: string[];
  /** Split over several jobs (`merge`); undefined: one job builds and publishes everything. */
  merge: Merge | undefined;
  /** Build stage to build (`--target`); undefined: the last stage. */
  target: string | undefined;
  /** Build secrets (`secrets`, `secret-files`, `secret-envs`), each id once; buildx only. */
  secrets: BuildSecret[];
  /** `--ssh` values: `default`, or `id=absolute path[,…]`; buildx only. */
  ssh: string[];
  /** Build every step anew (`--no-cache`); the registry cache is neither pulled nor named. */
  noCache: boolean;
  /** Stages rebuilt without cache (`--no-cache-filter`); buildx only. */
  noCacheFilters: string[];
  /** Always pull the base images (`--pull`). */
  pull: boolean;
  /** `name=path-or-image` extra build contexts (`--build-context`); buildx only. */
  buildContexts: string[];
  /** Network mode of RUN steps (`--network`); undefined: the builder's default. */
  network: string | undefined;
  /** `host:ip` entries for /etc/hosts of RUN steps (`--add-host`). */
  addHosts: string[];
  /** Size of /dev/shm of RUN steps (`--shm-size`), e.g. `2g`. */
  shmSize: string | undefined;
  /** `name=soft[:hard]` limits of RUN steps (`--ulimit`). */
  ulimits: string[];
  /** `--provenance` value (`true`, `false`, `mode=max`…); undefined: not given. buildx only. */
  provenance: string | undefined;
  /** `--sbom` value (`true`, `false`, `generator=IMAGE`…); undefined: not given. buildx only. */
  sbom: string | undefined;
  /** `key=value` OCI annotations (`--annotation`), optionally prefixed by their level; buildx only. */
  annotations: string[];
  /** `outputs`: files or folders buildx also writes the image to (`--output`), besides loading or pushing it. */
  exports: BuildExport[];
  /** `call: check`: run BuildKit's build checks instead of building; nothing is built or pushed. */
  call: BuildCall | undefined;
  /** What Dockerfile audit findings do: annotate (`warn`), fail the step first (`error`), or nothing (`off`). */
  audit: AuditMode;
  /** Audit rules silenced for the whole run. */
  auditIgnore: RuleId[];
  /** Push the tags; false: build and tag locally only. */
  push: boolean;
  /** Push (and log in) on a pull request from a fork too; false: such a run builds and tests only. */
  pushForks: boolean;
  /** The job's token, for the GitHub API (whether one commit contains another); undefined: none. */
  githubToken: Secret | undefined;
  /** Resolve and print the plan, set the outputs, run nothing. */
  dryRun: boolean;
  /** How often a push that failed with a transient error is tried again (0: never). */
  retries: number;
  /** Longest one push attempt may take before it is stopped and counted as a transient failure. */
  pushTimeoutSeconds: number;
  /** How much the image may grow against the default branch's before the push is refused; undefined: no limit. */
  maxSizeIncrease: SizeLimit | undefined;
  /** Policy for an existing tag that another ref built. */
  onCollision: OnCollision;
  /** Build on every run, or only when the recorded base image's digest changed (security rebuilds). */
  rebuild: RebuildPolicy;
  /** Write the job summary (on by default). */
  summary: boolean;
}

/** The `test-in-image` run: what it runs and the only environment the container gets. */
export interface InImageTest {
  command: InImageCommand;
  /** `KEY=VALUE`, each key once: the defaults (PYTHONFAULTHANDLER=1) overridden by `test-in-image-env`. */
  env: string[];
}
