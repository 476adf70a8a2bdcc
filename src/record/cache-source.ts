import type { Step } from '../plan/plan.js';
import { BASE_DIGEST_LABEL, REVISION_LABEL } from '../tags/labels.js';
import type { CacheSource, RunRecord } from './run-record.js';

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
      return { reference, revision: labels[REVISION_LABEL], baseDigest: labels[BASE_DIGEST_LABEL] };
    }
  }
  return undefined;
}
