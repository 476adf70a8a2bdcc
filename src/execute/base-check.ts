// The base check, between the tags and the plan: the base image's digest for its labels, and with
// `rebuild: base-changed` whether there is anything to build. It runs before the plan is made
// because the digest goes into the build's labels (argv, or the classic builder's labelled copy).
import type { Engine } from '../docker/engine-info.js';
import type { RebuildPolicy, Settings } from '../inputs/settings.js';
import { type BaseImage, baseImageOf } from '../plan/base-image.js';
import { isInsecureRegistry } from '../plan/insecure-registries.js';
import { INSPECT_TIMEOUT_SECONDS } from '../plan/plan.js';
import type { RegistryReader, RemoteRead } from '../registry/registry-reader.js';
import type { BaseRecord } from '../record/run-record.js';
import { baseLabels } from '../tags/labels.js';
import { registryOf } from '../shared/image-reference.js';
import { loginFor, stepLogins } from '../inputs/logins.js';
import type { ImageNames } from '../tags/resolve-tags.js';
import { type RunRecord } from '../record/run-record.js';
import { decideRebuild } from './rebuild-check.js';

/** Reads what a tag holds now: its digest, and its labels when asked. */
export type ReadTag = (reference: string, labels: boolean) => Promise<RemoteRead>;

/**
 * The check's registry reads, in-process: the action's own logins (`username`/`password`,
 * `registry-auth`) for the registries they name (their `docker login` runs later, in the plan), docker's config (DOCKER_CONFIG or
 * ~/.docker: the runner's logins, e.g. docker/login-action) for any other; plain HTTP where the
 * daemon allows it.
 */
export function tagReader(settings: Settings, engine: Engine, reader: RegistryReader): ReadTag {
  return (reference, labels) => {
    const registry = registryOf(reference);
    const own = loginFor(stepLogins(settings), registry);
    return reader.read(reference, {
      dockerConfig: undefined,
      credentials:
        own === undefined
          ? undefined
          : { kind: 'basic', username: own.username, password: own.password.reveal() },
      insecure: isInsecureRegistry(registry ?? 'docker.io', engine),
      labels,
      timeoutSeconds: INSPECT_TIMEOUT_SECONDS,
    });
  };
}

/** What became of the base image: recorded in the labels, or why not. */
export type BaseOutcome =
  | { kind: 'found'; name: string; digest: string }
  /** FROM scratch, or a FROM the action cannot resolve: no base labels. */
  | { kind: 'none'; why: string }
  /** The name is known, its registry did not tell the digest. */
  | { kind: 'unreadable'; name: string; problem: string };

/** Reads the digest `base` resolves to now; a pinned digest is its own answer. */
export async function resolveBase(base: BaseImage, read: ReadTag): Promise<BaseOutcome> {
  switch (base.kind) {
    case 'scratch':
      return { kind: 'none', why: 'the built stage starts FROM scratch: the image has no base image' };
    case 'unknown':
      return { kind: 'none', why: `the base image cannot be told: ${base.reason}` };
    case 'image':
      break;
  }
  if (base.pinned !== undefined) return { kind: 'found', name: base.name, digest: base.pinned };
  const answer = await read(base.name, false);
  switch (answer.kind) {
    case 'found':
      return { kind: 'found', name: base.name, digest: answer.digest };
    case 'missing':
      return { kind: 'unreadable', name: base.name, problem: 'its registry has no such tag' };
    case 'unknown':
      return { kind: 'unreadable', name: base.name, problem: answer.reason };
  }
}

export interface BaseCheckLog {
  info(message: string): void;
  warning(message: string): void;
}

const PRIVATE_BASE_ADVICE =
  "A base in a registry that needs a login is read with docker's login for it (docker/login-action in an earlier step), or with `username`/`password` when `registry` names it.";

/**
 * With `always`, a base that cannot be read only loses its digest label (a warning); with
 * `base-changed` it is an error: the check must never skip a rebuild it could not judge.
 */
function checkedBase(outcome: BaseOutcome, policy: RebuildPolicy, log: BaseCheckLog): BaseRecord | undefined {
  switch (outcome.kind) {
    case 'found':
      log.info(`Base image ${outcome.name} is ${outcome.digest} in its registry.`);
      return { name: outcome.name, digest: outcome.digest };
    case 'none':
      if (policy === 'base-changed') {
        throw new Error(`\`rebuild: base-changed\` needs a base image to compare, but ${outcome.why}.`);
      }
      log.info(`No base image labels: ${outcome.why}.`);
      return undefined;
    case 'unreadable':
      if (policy === 'base-changed') {
        throw new Error(
          `\`rebuild: base-changed\` cannot read base image ${outcome.name} (${outcome.problem}), so it cannot tell whether a rebuild is needed; nothing was built or pushed. ${PRIVATE_BASE_ADVICE}`,
        );
      }
      log.warning(
        `Could not read base image ${outcome.name} (${outcome.problem}): the image records its name without its digest. ${PRIVATE_BASE_ADVICE}`,
      );
      return { name: outcome.name, digest: undefined };
  }
}

export interface BaseCheckInput {
  settings: Settings;
  engine: Engine;
  /** The Dockerfile's text; undefined when it could not be read. */
  dockerfile: string | undefined;
  /**
   * The tags stage's labels (the base labels join them) and references (`base-changed` compares
   * with what the first one holds).
   */
  names: Pick<ImageNames, 'labels' | 'references'>;
  reader: RegistryReader;
  log: BaseCheckLog;
}

/** What the plan takes from the check. */
export interface BasePlan {
  /** The image's labels, the base image's included. */
  labels: Record<string, string>;
  /** Build on the base pulled anew: `base-changed` found it moved (or nothing to compare with). */
  pullBase: boolean;
  /** `base-changed` found the first tag built on the base as it is now: the plan is empty. */
  upToDate: boolean;
}

/**
 * Reads the base image's digest for its labels and, with `rebuild: base-changed`, what the first
 * tag holds, to decide whether to build. Records both in `record`; when nothing is to be built,
 * the tag's digest (and image id) become the run's. A dry run reads nothing.
 */
export async function checkBase(input: BaseCheckInput, record: RunRecord): Promise<BasePlan> {
  const { settings, log } = input;
  const image: BaseImage =
    input.dockerfile === undefined
      ? { kind: 'unknown', reason: 'the Dockerfile could not be read' }
      : baseImageOf(input.dockerfile, settings.buildArgs, settings.target);
  const plan = (base: BaseRecord | undefined, pullBase = false, upToDate = false): BasePlan => {
    record.base = base;
    return { labels: { ...input.names.labels, ...baseLabels(base) }, pullBase, upToDate };
  };
  // A dry run's plan shows the base's name; its digest is read when the build runs for real.
  if (settings.dryRun)
    return plan(image.kind === 'image' ? { name: image.name, digest: undefined } : undefined);

  const read = tagReader(settings, input.engine, input.reader);
  const reference = input.names.references[0];
  // What the tag holds is read while the base is: both are registry round trips.
  const existing =
    settings.rebuild === 'base-changed' && reference !== undefined ? read(reference, true) : undefined;
  existing?.catch(() => undefined);
  const base = checkedBase(await resolveBase(image, read), settings.rebuild, log);
  if (settings.rebuild === 'always') return plan(base);
  if (reference === undefined || existing === undefined || base?.digest === undefined) {
    throw new Error('`rebuild: base-changed` needs an image reference to compare with.');
  }
  const decision = decideRebuild(reference, await existing, { name: base.name, digest: base.digest });
  if (decision.rebuild) {
    log.info(`Rebuilding: ${decision.reason}; the base is pulled anew.`);
    record.rebuild = { rebuilt: true, reason: decision.reason, previousDigest: decision.previousDigest };
    return plan(base, true);
  }
  log.info(
    `Base ${base.name} unchanged (${base.digest}): ${reference} stays ${decision.digest}; nothing is tested, built or pushed.`,
  );
  record.rebuild = { rebuilt: false, reference, since: decision.since };
  record.digests.set(reference, decision.digest);
  record.imageId = decision.imageId;
  return plan(base, false, true);
}
