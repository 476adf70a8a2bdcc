// Manifests as the Registry API serves them: an image manifest (config + layers) or an index
// (a manifest list) of per-platform manifests.
import { configLayers, type ImageLayer } from '../docker/image-layers.js';
import { createHash } from 'node:crypto';
import { contentOfConfigBlob, type ImageContent } from '../docker/image-content.js';
import { configLabels, isObject } from '../docker/json-shapes.js';
import { Uncertain } from './uncertain.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** The Accept header of a manifest request: every type this module reads. */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ');

const INDEX_TYPES = new Set([OCI_INDEX, DOCKER_LIST]);
const IMAGE_TYPES = new Set([OCI_MANIFEST, DOCKER_MANIFEST]);
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export interface Descriptor {
  digest: string;
  mediaType: string | undefined;
  platform: { os: string | undefined; architecture: string | undefined } | undefined;
  annotations: Record<string, unknown>;
}

export type Manifest =
  | { kind: 'index'; manifests: Descriptor[] }
  /** `layerSizes`: each layer's compressed size, in order (undefined where the manifest has none). */
  | { kind: 'image'; config: Descriptor; layerSizes: (number | undefined)[] };

function layerSizes(layers: unknown): (number | undefined)[] {
  if (!Array.isArray(layers)) return [];
  return layers.map((layer: unknown) => {
    const size = record(layer)?.size;
    return typeof size === 'number' && Number.isFinite(size) ? size : undefined;
  });
}

export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

/** sha256 of the exact bytes, as the registry names content. */
export function digestOf(body: Uint8Array): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

/** Throws Uncertain when `body` is not the content `digest` names (sha256 only; others are trusted). */
export function checkContent(body: Uint8Array, digest: string, what: string): void {
  if (digest.startsWith('sha256:') && digestOf(body) !== digest) {
    throw new Uncertain(`the registry sent ${what} whose content does not match ${digest}`);
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return isObject(value) ? value : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function descriptor(value: unknown, what: string): Descriptor {
  const fields = record(value);
  const digest = fields?.digest;
  if (typeof digest !== 'string' || !isDigest(digest)) throw new Uncertain(`${what} has no valid digest`);
  const platform = record(fields?.platform);
  return {
    digest,
    mediaType: optionalString(fields?.mediaType),
    platform:
      platform === undefined
        ? undefined
        : { os: optionalString(platform.os), architecture: optionalString(platform.architecture) },
    annotations: record(fields?.annotations) ?? {},
  };
}

export function parseJson(body: Uint8Array, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new Uncertain(`${what} is not valid JSON`);
  }
  const object = record(parsed);
  if (object === undefined) throw new Uncertain(`${what} is not a JSON object`);
  return object;
}

/**
 * Reads a manifest body. Its type comes from its own `mediaType`, else the Content-Type header;
 * anything but the four types asked for (e.g. schema 1) throws Uncertain.
 */
export function parseManifest(body: Uint8Array, contentType: string | null): Manifest {
  const json = parseJson(body, 'the manifest');
  const headerType = contentType?.split(';')[0]?.trim().toLowerCase();
  const mediaType = optionalString(json.mediaType) ?? headerType;
  if (mediaType !== undefined && INDEX_TYPES.has(mediaType)) {
    if (!Array.isArray(json.manifests)) throw new Uncertain('the index lists no manifests');
    return {
      kind: 'index',
      manifests: json.manifests.map((entry: unknown, index) => descriptor(entry, `index entry ${index}`)),
    };
  }
  if (mediaType !== undefined && IMAGE_TYPES.has(mediaType)) {
    return {
      kind: 'image',
      config: descriptor(json.config, 'the manifest config'),
      layerSizes: layerSizes(json.layers),
    };
  }
  throw new Uncertain(`the registry answered with a manifest of type ${mediaType ?? '(none)'}`);
}

/** Whether an index entry is an image, not a buildx attestation (platform unknown/unknown, or annotated as one). */
export function isImage(entry: Descriptor): boolean {
  return (
    !(entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown') &&
    entry.annotations['vnd.docker.reference.type'] !== 'attestation-manifest'
  );
}

/**
 * `.config.Labels` of an image config blob (null or absent labels give {}), its platform
 * (`os/architecture[/variant]`), and the image's content (see image-content.ts; undefined when its
 * layers cannot be read).
 */
export function readConfigBlob(
  body: Uint8Array,
  sizes: readonly (number | undefined)[] = [],
): {
  labels: Record<string, string>;
  platform: string;
  content: ImageContent | undefined;
  layers: ImageLayer[] | undefined;
} {
  const config = parseJson(body, 'the image config');
  const labels = configLabels(record(config.config) ?? {});
  if (labels === undefined) throw new Uncertain('the image config has labels that are not strings');
  const platform = [config.os, config.architecture, config.variant]
    .filter((part) => typeof part === 'string' && part !== '')
    .join('/');
  return { labels, platform, content: contentOfConfigBlob(config), layers: configLayers(config, sizes) };
}
