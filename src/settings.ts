import type { Secret } from './secret.js';

/** What to do when a tag to push already exists and was built from another ref. */
export type OnCollision = 'fail' | 'warn' | 'overwrite';

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
  /** Push the tags; false: build and tag locally only. */
  push: boolean;
  /** Resolve and print the plan, set the outputs, run nothing. */
  dryRun: boolean;
  /** How often a push that failed with a transient error is tried again (0: never). */
  retries: number;
  /** Longest one push attempt may take before it is stopped and counted as a transient failure. */
  pushTimeoutSeconds: number;
  /** Policy for an existing tag that another ref built. */
  onCollision: OnCollision;
}
