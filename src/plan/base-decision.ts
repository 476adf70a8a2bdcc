// What the plan makes of the base image as the facts stage read it: the digest its labels record,
// and with `rebuild: base-changed` whether there is anything to build (the image a tag holds was
// built on the base the base tag resolves to now). Pure.
import { BASE_DIGEST_LABEL, BASE_NAME_LABEL, baseLabels, CREATED_LABEL } from '../tags/labels.js';
import type { RemoteRead } from '../registry/registry-reader.js';
import type { RebuildPolicy } from '../inputs/settings.js';
import type { Note } from '../shared/log.js';

/** Compares the base recorded in what `reference` holds (`existing`) with the base now. */
export function decideRebuild(
  reference: string,
  existing: RemoteRead,
  base: { name: string; digest: string },
): { rebuild: RebuildRecord; pullBase: boolean; upToDate: BaseDecision['upToDate'] } {
  const rebuild = (reason: string, previousDigest?: string) => ({
    rebuild: { rebuilt: true as const, reason, previousDigest },
    pullBase: true,
    upToDate: undefined,
  });
  switch (existing.kind) {
    case 'missing':
      return rebuild(`${reference} is not in the registry yet`);
    case 'unknown':
      return rebuild(
        `what ${reference} holds could not be read (${existing.reason}), so it is rebuilt to be safe`,
      );
    case 'found':
      break;
  }
  const labels = existing.labels ?? {};
  const previousName = labels[BASE_NAME_LABEL];
  const previousDigest = labels[BASE_DIGEST_LABEL];
  if (previousDigest === undefined) {
    return rebuild(`${reference} records no base image digest (label ${BASE_DIGEST_LABEL})`);
  }
  if (previousName !== base.name) {
    return rebuild(
      `${reference} was built on ${previousName ?? 'an unnamed base'}, the Dockerfile now names ${base.name}`,
      previousDigest,
    );
  }
  if (previousDigest !== base.digest) {
    return rebuild(`base ${base.name} changed from ${previousDigest} to ${base.digest}`, previousDigest);
  }
  return {
    rebuild: { rebuilt: false, reference, since: labels[CREATED_LABEL] },
    pullBase: false,
    upToDate: { reference, digest: existing.digest, imageId: existing.configDigest },
  };
}

/** What became of the base image when the facts stage read it. */
export type BaseOutcome =
  | { kind: 'found'; name: string; digest: string }
  /** FROM scratch, or a FROM the action cannot resolve: no base labels. */
  | { kind: 'none'; why: string }
  /** The name is known, its registry did not tell the digest. */
  | { kind: 'unreadable'; name: string; problem: string }
  /** A dry run reads nothing: the plan shows the base's name (if any), its digest is read when the build runs. */
  | { kind: 'unread'; name: string | undefined };

/** The base image the labels record: its name, and the digest it resolved to when that was read. */
export interface BaseRecord {
  name: string;
  digest: string | undefined;
}

/** What `rebuild: base-changed` found when it compared the base the tag's image records with now. */
export type RebuildRecord =
  | { rebuilt: false; reference: string; since: string | undefined }
  | { rebuilt: true; reason: string; previousDigest: string | undefined };

/** What the plan and the run's record take from the base image. */
export interface BaseDecision {
  /** The image's labels, the base image's included. */
  labels: Record<string, string>;
  /** The base the labels record; undefined for FROM scratch or a base that cannot be told. */
  base: BaseRecord | undefined;
  /** `rebuild: base-changed` only: what the comparison decided. */
  rebuild: RebuildRecord | undefined;
  /** Build on the base pulled anew: `base-changed` found it moved (or nothing to compare with). */
  pullBase: boolean;
  /** `base-changed` found the first tag built on the base as it is now: its digest and image id stay the run's. */
  upToDate: { reference: string; digest: string; imageId: string | undefined } | undefined;
  notes: Note[];
}

const PRIVATE_BASE_ADVICE =
  "A base in a registry that needs a login is read with docker's login for it (docker/login-action in an earlier step), or with `username`/`password` when `registry` names it.";

/**
 * With `always`, a base that cannot be read only loses its digest label (a warning); with
 * `base-changed` it is an error: the check must never skip a rebuild it could not judge.
 */
function checkedBase(outcome: BaseOutcome, policy: RebuildPolicy, notes: Note[]): BaseRecord | undefined {
  switch (outcome.kind) {
    case 'found':
      notes.push({
        level: 'info',
        message: `Base image ${outcome.name} is ${outcome.digest} in its registry.`,
      });
      return { name: outcome.name, digest: outcome.digest };
    case 'unread':
      return outcome.name === undefined ? undefined : { name: outcome.name, digest: undefined };
    case 'none':
      if (policy === 'base-changed') {
        throw new Error(`\`rebuild: base-changed\` needs a base image to compare, but ${outcome.why}.`);
      }
      notes.push({ level: 'info', message: `No base image labels: ${outcome.why}.` });
      return undefined;
    case 'unreadable':
      if (policy === 'base-changed') {
        throw new Error(
          `\`rebuild: base-changed\` cannot read base image ${outcome.name} (${outcome.problem}), so it cannot tell whether a rebuild is needed; nothing was built or pushed. ${PRIVATE_BASE_ADVICE}`,
        );
      }
      notes.push({
        level: 'warning',
        message: `Could not read base image ${outcome.name} (${outcome.problem}): the image records its name without its digest. ${PRIVATE_BASE_ADVICE}`,
      });
      return { name: outcome.name, digest: undefined };
  }
}

export interface BaseFacts {
  /** The base image as read (a dry run: its name only). */
  base: BaseOutcome;
  /** What `reference` holds now; read only for `rebuild: base-changed` on a real run. */
  existing: RemoteRead | undefined;
  /** The tag `base-changed` compares with: the image's first reference. */
  reference: string | undefined;
  policy: RebuildPolicy;
  /** The tags stage's labels; the base labels join them. */
  labels: Record<string, string>;
}

/** The base image's labels and, with `rebuild: base-changed`, whether to build at all. */
export function decideBase(facts: BaseFacts): BaseDecision {
  const notes: Note[] = [];
  const base = checkedBase(facts.base, facts.policy, notes);
  const decided = (rest: Partial<BaseDecision> = {}): BaseDecision => ({
    labels: { ...facts.labels, ...baseLabels(base) },
    base,
    rebuild: undefined,
    pullBase: false,
    upToDate: undefined,
    notes,
    ...rest,
  });
  // A dry run's plan shows the base's name; its digest is read when the build runs for real.
  if (facts.policy === 'always' || facts.base.kind === 'unread') return decided();
  const { reference, existing } = facts;
  if (reference === undefined || existing === undefined || base?.digest === undefined) {
    throw new Error('`rebuild: base-changed` needs an image reference to compare with.');
  }
  const decision = decideRebuild(reference, existing, { name: base.name, digest: base.digest });
  const { rebuild, upToDate } = decision;
  notes.push({
    level: 'info',
    message: rebuild.rebuilt
      ? `Rebuilding: ${rebuild.reason}; the base is pulled anew.`
      : `Base ${base.name} unchanged (${base.digest}): ${reference} stays ${upToDate?.digest}; nothing is tested, built or pushed.`,
  });
  return decided(decision);
}
