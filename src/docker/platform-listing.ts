// What `docker buildx imagetools inspect --format '{{json .}}'` prints about the platforms of a tag.
import { meaningfulLine } from './failure-lines.js';

interface ImageConfig {
  os?: string;
  architecture?: string;
  variant?: string;
  config?: { Labels?: Record<string, string> | null };
}

interface InspectJson {
  manifest?: { digest?: string; mediaType?: string };
  /** One config for an image manifest; a map `os/arch[/variant]` → config for an index. */
  image?: ImageConfig | Record<string, ImageConfig>;
}

/** One image of a tag: its platform and labels. */
export interface PlatformEntry {
  platform: string;
  labels: Record<string, string>;
}

export type PlatformListing =
  { found: true; digest: string; mediaType: string | undefined; images: PlatformEntry[] } | { found: false };

function platformOf(config: ImageConfig): string {
  return [config.os, config.architecture, config.variant].filter(Boolean).join('/');
}

function isSingle(image: NonNullable<InspectJson['image']>): image is ImageConfig {
  return 'architecture' in image || 'os' in image || 'config' in image;
}

/**
 * The platforms a tag holds and each image's labels (an index lists no attestation here); a
 * missing tag is `found: false`. Throws with docker's message when the answer is something else.
 */
export function parsePlatformListing(
  stdout: string,
  exitCode: number,
  tail: readonly string[],
): PlatformListing {
  if (exitCode !== 0) {
    const reason = meaningfulLine(tail) ?? `exit code ${exitCode}`;
    if (/(: not found$|no such manifest|manifest unknown)/i.test(reason)) return { found: false };
    throw new Error(reason);
  }
  const json = JSON.parse(stdout) as InspectJson;
  const digest = json.manifest?.digest;
  if (digest === undefined) throw new Error('imagetools printed no manifest digest');
  const image = json.image ?? {};
  const configs: [string, ImageConfig][] = isSingle(image)
    ? [[platformOf(image), image]]
    : Object.entries(image);
  return {
    found: true,
    digest,
    mediaType: json.manifest?.mediaType,
    images: configs.map(([platform, config]) => ({ platform, labels: config.config?.Labels ?? {} })),
  };
}
