// An image's layers with the instruction that made each: the image config's history pairs with its
// layers in order, once the history entries that made no layer (`empty_layer`) are left out.
import { isObject } from './json-shapes.js';

export interface ImageLayer {
  /** The uncompressed layer's digest (`rootfs.diff_ids`): equal layers are equal across images. */
  diffId: string;
  /** Bytes: compressed as the registry stores it, or unpacked as `docker history` shows it. */
  size: number;
  /** The history's `created_by` (`RUN /bin/sh -c make # buildkit`); undefined when not recorded. */
  createdBy: string | undefined;
}

/** `RUN /bin/sh -c make # buildkit` and `RUN make` name the same instruction. */
export function instructionOf(createdBy: string): string {
  return createdBy
    .replace(/\s+# buildkit$/, '')
    .replace(/^RUN \|\d+(?: \S+=\S*)* /, 'RUN ')
    .replace(
      /^(RUN )?\/bin\/sh -c (#\(nop\)\s*)?/,
      (_all, run: string | undefined, nop: string | undefined) => (nop === undefined ? (run ?? 'RUN ') : ''),
    )
    .replace(/\s+/g, ' ')
    .trim();
}

/** The `created_by` of each history entry that made a layer, in order. */
function layerHistory(config: Record<string, unknown>): (string | undefined)[] {
  const history = Array.isArray(config.history) ? config.history : [];
  return history
    .filter((entry) => !(isObject(entry) && entry.empty_layer === true))
    .map((entry) => (isObject(entry) && typeof entry.created_by === 'string' ? entry.created_by : undefined));
}

/**
 * The layers an image config describes, with `sizes` (the manifest's, in layer order); undefined
 * when the config's layers and the sizes do not pair up.
 */
export function configLayers(
  config: Record<string, unknown>,
  sizes: readonly (number | undefined)[],
): ImageLayer[] | undefined {
  const rootfs = isObject(config.rootfs) ? config.rootfs : {};
  const diffIds = Array.isArray(rootfs.diff_ids) ? rootfs.diff_ids : [];
  if (diffIds.length !== sizes.length || !diffIds.every((id) => typeof id === 'string')) return undefined;
  const history = layerHistory(config);
  const paired = history.length === diffIds.length;
  const layers: ImageLayer[] = [];
  for (const [index, diffId] of diffIds.entries()) {
    const size = sizes[index];
    if (size === undefined) return undefined;
    layers.push({ diffId, size, createdBy: paired ? history[index] : undefined });
  }
  return layers;
}

/** Instructions that only change the image's config; every other one makes a layer, if an empty one. */
const CONFIG_ONLY =
  /^(ARG|CMD|ENTRYPOINT|ENV|EXPOSE|HEALTHCHECK|LABEL|MAINTAINER|ONBUILD|SHELL|STOPSIGNAL|USER|VOLUME)\b/i;

/** Whether a history entry of zero bytes made a layer: the classic builder's WORKDIR does, say. */
function madeEmptyLayer(createdBy: string | undefined): boolean {
  return !CONFIG_ONLY.test(instructionOf(createdBy ?? ''));
}

/**
 * Parses `docker history --no-trunc --human=false --format '{{json .}}'` (newest first) with the
 * image's `RootFS.Layers` (oldest first). docker history does not say which entries made a layer:
 * the entries with a size did; when they are fewer than the layers, the zero-byte entries of
 * instructions that write files (a classic WORKDIR) are counted in too. Undefined when neither
 * pairs up, so no size is put against the wrong line.
 */
export function localLayers(historyJsonLines: string, diffIds: readonly string[]): ImageLayer[] | undefined {
  const entries = historyJsonLines
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { CreatedBy?: string; Size?: string | number })
    .reverse()
    .map((entry) => ({ createdBy: entry.CreatedBy, size: Number(entry.Size ?? 0) }));
  if (!entries.every((entry) => Number.isFinite(entry.size))) return undefined;
  const withBytes = entries.filter((entry) => entry.size > 0);
  const made =
    withBytes.length === diffIds.length
      ? withBytes
      : entries.filter((entry) => entry.size > 0 || madeEmptyLayer(entry.createdBy));
  if (made.length !== diffIds.length) return undefined;
  return made.map((entry, index) => ({
    diffId: diffIds[index] ?? '',
    size: entry.size,
    createdBy: entry.createdBy,
  }));
}
