// How the built image's size compares with another image's (the default branch's), layer by layer.
import { type ImageLayer, instructionOf } from './image-layers.js';

/** One instruction's layer and how many bytes it grew by against the other image's. */
export interface LayerGrowth {
  createdBy: string | undefined;
  bytes: number;
}

export interface SizeChange {
  /** The image compared with (`ghcr.io/acme/app:main`). */
  against: string;
  /** Its compressed size, as the registry stores it. */
  before: number;
  /** The built image's compressed size: its layers the other image has are the registry's figures. */
  after: number;
  /**
   * Some layers are new: their compressed size is their unpacked size times the ratio of the shared
   * layers (1 when none are shared), as the image is not compressed before it is pushed.
   */
  estimated: boolean;
  /** The layers that grew most, largest first (at most three). */
  grew: LayerGrowth[];
}

const sum = (layers: readonly { size: number }[]): number =>
  layers.reduce((total, layer) => total + layer.size, 0);

/** Compares `built` (unpacked sizes, `docker history`) with `previous` (compressed, the registry's). */
export function sizeChange(
  against: string,
  previous: readonly ImageLayer[],
  built: readonly ImageLayer[],
): SizeChange {
  const known = new Map(previous.map((layer) => [layer.diffId, layer.size]));
  const shared = built.filter((layer) => known.has(layer.diffId));
  const sharedUnpacked = sum(shared);
  const sharedCompressed = shared.reduce((total, layer) => total + (known.get(layer.diffId) ?? 0), 0);
  const ratio = sharedUnpacked > 0 ? Math.min(1, sharedCompressed / sharedUnpacked) : 1;
  const fresh = built.filter((layer) => !known.has(layer.diffId));
  const after = sharedCompressed + Math.round(sum(fresh) * ratio);
  // Each new layer against the old layer its instruction made, when the instruction is the same.
  const unmatched = previous.filter((layer) => !built.some((b) => b.diffId === layer.diffId));
  const grew = fresh
    .map((layer) => {
      const key = layer.createdBy === undefined ? undefined : instructionOf(layer.createdBy);
      const index = unmatched.findIndex(
        (old) => old.createdBy !== undefined && instructionOf(old.createdBy) === key,
      );
      const old = index === -1 ? 0 : (unmatched.splice(index, 1)[0]?.size ?? 0);
      return { createdBy: layer.createdBy, bytes: Math.round(layer.size * ratio) - old };
    })
    .filter((growth) => growth.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
  return { against, before: sum(previous), after, estimated: fresh.length > 0, grew };
}

/** The growth in bytes and as a share of the size before (undefined when that was 0). */
export function growth(change: SizeChange): { bytes: number; percent: number | undefined } {
  const bytes = change.after - change.before;
  return { bytes, percent: change.before > 0 ? (bytes / change.before) * 100 : undefined };
}

/** Bytes as docker shows them (powers of 1000). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit] ?? ''}`;
}

/** `+38.2 MB (+26 %) against ghcr.io/acme/app:main`; `about` when new layers were estimated. */
export function formatGrowth(change: SizeChange): string {
  const { bytes, percent } = growth(change);
  const sign = bytes < 0 ? '−' : '+';
  const share =
    percent === undefined ? '' : ` (${sign}${Math.abs(percent).toFixed(Math.abs(percent) < 10 ? 1 : 0)} %)`;
  return `${change.estimated ? 'about ' : ''}${sign}${formatBytes(Math.abs(bytes))}${share} against ${change.against}`;
}
