// What `docker buildx imagetools inspect` and `docker manifest inspect` print about a tag.
import { meaningfulLine } from './failure-lines.js';
import type { ImageContent } from './image-content.js';

/** What `docker buildx imagetools inspect` or `docker manifest inspect` said about a tag. */
export type RemoteImage =
  | {
      found: true;
      digest: string;
      labels: Record<string, string> | undefined;
      /** The config's digest (the image id) of a single-platform manifest, when shown. */
      configDigest?: string | undefined;
      /** A single-platform image's layers and config, cache metadata aside, when read in-process. */
      content?: ImageContent | undefined;
    }
  | { found: false };

interface ImagetoolsImage {
  config?: { Labels?: Record<string, string> | null };
}
interface ImagetoolsJson {
  manifest?: { digest?: string };
  image?: ImagetoolsImage | Record<string, ImagetoolsImage>;
}
interface ManifestInspectJson {
  Descriptor?: { digest?: string };
  SchemaV2Manifest?: { config?: { digest?: string } };
  OCIManifest?: { config?: { digest?: string } };
}

const NOT_FOUND = /(: not found$|no such manifest|manifest unknown)/i;

function imageLabelsOf(image: ImagetoolsJson['image']): Record<string, string> {
  if (image === undefined) return {};
  // A multi-platform index gives one config per platform; the label is the same in each.
  const single: ImagetoolsImage | undefined =
    'config' in image ? image : Object.values(image as Record<string, ImagetoolsImage>)[0];
  return single?.config?.Labels ?? {};
}

/**
 * Parses `docker buildx imagetools inspect --format '{{json .}}'` (digest and labels) or
 * `docker manifest inspect --verbose` (digest only; a list gives an array, whose index digest
 * docker does not print). Throws with docker's message when the tag's presence cannot be told.
 */
export function parseRemoteImage(
  stdout: string,
  exitCode: number,
  tail: readonly string[],
  buildx: boolean,
): RemoteImage {
  if (exitCode !== 0) {
    const reason = meaningfulLine(tail) ?? `exit code ${exitCode}`;
    if (NOT_FOUND.test(reason)) return { found: false };
    throw new Error(reason);
  }
  const parsed = JSON.parse(stdout) as ImagetoolsJson | ManifestInspectJson | ManifestInspectJson[];
  if (buildx) {
    const json = parsed as ImagetoolsJson;
    const digest = json.manifest?.digest;
    if (digest === undefined) throw new Error('imagetools printed no manifest digest');
    return { found: true, digest, labels: imageLabelsOf(json.image) };
  }
  const single = Array.isArray(parsed) ? undefined : (parsed as ManifestInspectJson);
  const digest = single?.Descriptor?.digest;
  if (digest === undefined) throw new Error('docker manifest inspect printed no digest');
  const configDigest = (single?.SchemaV2Manifest ?? single?.OCIManifest)?.config?.digest;
  return { found: true, digest, labels: undefined, configDigest };
}
