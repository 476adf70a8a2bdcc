// What an image is made of, apart from the build's cache metadata: its layers and the parts of its
// config that a container sees. Two builds of the same content can differ only in BuildKit's
// inline-cache record (`moby.buildkit.cache.v0`, written by `--cache-to type=inline`), which
// depends on what BuildKit's local cache held; this fingerprint leaves that record, and every
// other history or creation detail, out.
import { isObject } from './json-shapes.js';

/** An opaque, comparable text: equal for two images exactly when their content is equal. */
export type ImageContent = string;

/** The fields of `.config` (blob) / `.Config` (inspect) that a container runs with. */
const RUN_FIELDS = [
  'Env',
  'Cmd',
  'Entrypoint',
  'WorkingDir',
  'User',
  'Labels',
  'ExposedPorts',
  'Volumes',
  'StopSignal',
  'Shell',
  'Healthcheck',
  'OnBuild',
] as const;

/** The value with every map's keys sorted, so the order docker or a registry wrote them in does not count. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted(value[key])]),
  );
}

/** Absent, null, '' and an empty list or map all mean "not set": null. */
function normalized(value: unknown): unknown {
  const empty =
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0);
  return empty ? null : sorted(value);
}

interface ContentFields {
  os: unknown;
  architecture: unknown;
  variant: unknown;
  config: unknown;
  layers: unknown;
}

/** The fingerprint of the given fields; undefined when the layers are not a list of digests. */
export function imageContent(fields: ContentFields): ImageContent | undefined {
  const { layers } = fields;
  if (!Array.isArray(layers) || !layers.every((layer) => typeof layer === 'string')) return undefined;
  const config = isObject(fields.config) ? fields.config : {};
  const run = Object.fromEntries(RUN_FIELDS.map((field) => [field, normalized(config[field])]));
  return JSON.stringify([
    normalized(fields.os),
    normalized(fields.architecture),
    normalized(fields.variant),
    run,
    layers,
  ]);
}

/** The content of an image config blob as a registry serves it (`rootfs.diff_ids`, `config`). */
export function contentOfConfigBlob(blob: unknown): ImageContent | undefined {
  if (!isObject(blob)) return undefined;
  const rootfs = isObject(blob.rootfs) ? blob.rootfs : {};
  return imageContent({
    os: blob.os,
    architecture: blob.architecture,
    variant: blob.variant,
    config: blob.config,
    layers: rootfs.diff_ids,
  });
}

/** The content of an image as `docker image inspect --format '{{json .}}'` prints it (`RootFS.Layers`, `Config`). */
export function contentOfInspect(stdout: string): ImageContent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const rootfs = isObject(parsed.RootFS) ? parsed.RootFS : {};
  return imageContent({
    os: parsed.Os,
    architecture: parsed.Architecture,
    variant: parsed.Variant,
    config: parsed.Config,
    layers: rootfs.Layers,
  });
}
