import type { RefContext } from '../context/ref-context.js';
import type { Settings } from '../inputs/settings.js';
import { refNames, sanitizeTag, TagError } from '../tags/tags.js';

function tagFor(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  try {
    return sanitizeTag(name);
  } catch (error) {
    if (error instanceof TagError) return undefined;
    throw error;
  }
}

/**
 * Where a run finds its registry cache, best first: the image's tag for this ref (the last build of
 * this branch), then the default branch's tag (a new branch starts from it). Both under `image`,
 * sanitised as tags are. Either may not exist yet; that only means a slower build.
 */
export function cacheReferences(image: string, context: RefContext): string[] {
  const tags = [tagFor(refNames(context).ref), tagFor(context.defaultBranch)];
  return [...new Set(tags.filter((tag) => tag !== undefined))].map((tag) => `${image}:${tag}`);
}

/**
 * The registry cache images of a run: none with `cache: false` or `no-cache: true` (nothing would
 * read them), else under the first image.
 */
export function registryCacheImages(settings: Settings, context: RefContext): string[] {
  const image = settings.images[0];
  return settings.cache && !settings.noCache && image !== undefined ? cacheReferences(image, context) : [];
}
