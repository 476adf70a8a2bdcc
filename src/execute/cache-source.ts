import type { Step } from '../plan/plan.js';
import { BASE_DIGEST_LABEL, BUILD_ARGS_LABEL, REVISION_LABEL } from '../tags/labels.js';
import type { RunRecord } from '../record/run-record.js';

/** The image the build's cache came from, as its labels tell: the commit it was built from, its base. */
export interface CacheSource {
  reference: string;
  revision: string | undefined;
  baseDigest: string | undefined;
  /** The digest of the build-args it was built with (BUILD_ARGS_LABEL); undefined: built before that label. */
  buildArgs: string | undefined;
}

/**
 * The closest cache image whose labels the run read: the branch's tag (the lookups read it), else
 * the default branch's (the size check read it). Undefined when neither was there.
 */
export function cacheSource(steps: readonly Step[], record: RunRecord): CacheSource | undefined {
  const build = steps.find((step) => step.kind === 'build');
  const images = build?.kind === 'build' ? build.cacheImages : [];
  const check = steps.find((step) => step.kind === 'size-check');
  for (const reference of images) {
    const labels =
      record.existing.get(reference)?.labels ??
      (check?.kind === 'size-check' && check.reference === reference ? record.defaultImageLabels : undefined);
    if (labels !== undefined) {
      return {
        reference,
        revision: labels[REVISION_LABEL],
        baseDigest: labels[BASE_DIGEST_LABEL],
        buildArgs: labels[BUILD_ARGS_LABEL],
      };
    }
  }
  return undefined;
}
