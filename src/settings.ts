import type { Secret } from './secret.js';

/** Everything the action was asked to do, validated and normalised once; the contract for the rest. */
export interface Settings {
  /** Repositories to tag and push, lower-cased, each with its registry host when it has one. */
  images: string[];
  /** Registry host[:port] to log in to; undefined means Docker Hub. */
  loginRegistry: string | undefined;
  /** Credentials to log in with; undefined: use whatever login the runner already has. */
  credentials: { username: string; password: Secret } | undefined;
  /** Tag templates, one per line of `tag`. */
  tagTemplates: string[];
  /** Shell code run with `bash -eo pipefail` before building; undefined: no tests. */
  testCommand: string | undefined;
  /** Absolute directory the tests run in, and that `context` and `file` are relative to. */
  workingDirectory: string;
  /** Absolute build context. */
  context: string;
  /** Absolute path of the Dockerfile. */
  file: string;
  /** `KEY=VALUE` build arguments. */
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
  /** Target platforms for buildx (os/arch[/variant]); empty: the builder's own. */
  platforms: string[];
  /** Push the tags; false: build and tag locally only. */
  push: boolean;
  /** Resolve and print the plan, set the outputs, run nothing. */
  dryRun: boolean;
}
