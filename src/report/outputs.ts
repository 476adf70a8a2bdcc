import { type RunRecord } from '../record/run-record.js';
import type { ResolvedTag } from '../tags/tags.js';

export interface Outputs {
  version: string;
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
  version?: string,
  /** `call: check`: the build checks ran, and nothing was built. */
  checkOnly = false,
): Outputs {
  const first = references[0] ?? '';
  return {
    version: version ?? '',
    branch: branch ?? '',
    tag: tags[0]?.tag ?? '',
    tags: references.join('\n'),
    image: first,
    // Every pushed tag holds one digest; the first tag may be a moving one that stayed where it was.
    digest: record.digests.get(first) ?? record.digests.values().next().value ?? '',
    'image-id': record.imageId ?? '',
    // false on a dry run, with `call: check`, and when `rebuild: base-changed` found nothing to rebuild.
    rebuilt: String(!record.dryRun && !checkOnly && record.rebuild?.rebuilt !== false),
    'base-digest': record.base?.digest ?? '',
  };
}
