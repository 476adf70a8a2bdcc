import * as path from 'node:path';
import { instructionOf } from '../docker/image-layers.js';
import { formatGrowth, type SizeChange } from '../docker/size-change.js';
import { historyLine } from '../plan/history-lines.js';
import type { SizeRecord, SourceLocation } from '../record/run-record.js';

/** The Dockerfile relative to the workspace, as annotations and the summary name it; undefined outside it. */
export function relativeDockerfile(file: string, workspace: string): string | undefined {
  const relative = path.relative(workspace, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/** The size comparison for the record: the layers that grew, each at its Dockerfile line when found. */
export function sizeRecord(
  change: SizeChange,
  dockerfile: { file: string; text: string } | undefined,
  workspace: string,
): SizeRecord {
  const file = dockerfile === undefined ? undefined : relativeDockerfile(dockerfile.file, workspace);
  return {
    change: formatGrowth(change),
    grew: change.grew.map((layer) => {
      const line =
        layer.createdBy === undefined || dockerfile === undefined
          ? undefined
          : historyLine(dockerfile.text, layer.createdBy);
      const location: SourceLocation | undefined =
        file === undefined || line === undefined ? undefined : { file, line };
      return {
        instruction: layer.createdBy === undefined ? undefined : instructionOf(layer.createdBy),
        location,
        bytes: layer.bytes,
      };
    }),
  };
}
