import { type RunRecord } from '../record/run-record.js';
import type { ResolvedTag } from '../tags/tags.js';

export interface Outputs {
  branch: string;
  tag: string;
  tags: string;
  image: string;
  digest: string;
  'image-id': string;
  rebuilt: string;
  'base-digest': string;
}

/** The step's outputs, collected once. */
export function collectOutputs(
  branch: string | undefined,
  tags: readonly ResolvedTag[],
  references: string[],
  record: RunRecord,
): Outputs {
  const first = references[0] ?? '';
  return {
    branch: branch ?? '',
    tag: tags[0]?.tag ?? '',
    tags: references.join('\n'),
    image: first,
    digest: record.digests.get(first) ?? '',
    'image-id': record.imageId ?? '',
    // false on a dry run, and when `rebuild: base-changed` found nothing to rebuild.
    rebuilt: String(!record.dryRun && record.rebuild?.rebuilt !== false),
    'base-digest': record.base?.digest ?? '',
  };
}
