import type { RefContext } from '../context/ref-context.js';
import type { Settings } from '../inputs/settings.js';
import { refNames, sanitizeTag, TagError } from '../tags/tags.js';

/** The tag of a registry cache (every stage, `mode=max`) starts with this, then the branch's tag. */
export const STAGE_CACHE_PREFIX = 'buildcache-';

function tagFor(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  try {
    return sanitizeTag(name);
  } catch (error) {
    if (error instanceof TagError) return undefined;
    throw error;
  }
}

/** This ref's name, then the default branch's: the branch's own cache first, the default's as fallback. */
function cacheNames(context: RefContext): (string | undefined)[] {
  return [refNames(context).ref, context.defaultBranch];
}

function references(image: string, tags: (string | undefined)[]): string[] {
  return [...new Set(tags.filter((tag) => tag !== undefined))].map((tag) => `${image}:${tag}`);
}

/**
 * Where a run finds its registry cache, best first: the image's tag for this ref (the last build of
 * this branch), then the default branch's tag (a new branch starts from it). Both under `image`,
 * sanitised as tags are. Either may not exist yet; that only means a slower build.
 */
export function cacheReferences(image: string, context: RefContext): string[] {
  return references(image, cacheNames(context).map(tagFor));
}

/**
 * The registry caches that hold every stage (`--cache-to type=registry,mode=max`), best first:
 * `image:buildcache-<ref>`, then `image:buildcache-<default branch>`. The first is where this run
 * writes its own.
 */
export function stageCacheReferences(image: string, context: RefContext): string[] {
  const names = cacheNames(context).map((name) =>
    name === undefined ? undefined : tagFor(`${STAGE_CACHE_PREFIX}${name}`),
  );
  return references(image, names);
}

/** The cache images of a run, under the first image: none with `cache: false` or `no-cache: true`. */
export interface CacheImages {
  /** The image's own tags (this ref's, the default branch's): inline cache, or a pulled image's layers. */
  images: string[];
  /** The separate every-stage caches (`buildcache-…`), for engines that can export one. */
  stages: string[];
}

/** The registry cache images of a run: none with `cache: false` or `no-cache: true` (nothing would read them). */
export function registryCacheImages(settings: Settings, context: RefContext): CacheImages {
  const image = settings.images[0];
  if (!settings.cache || settings.noCache || image === undefined) return { images: [], stages: [] };
  return { images: cacheReferences(image, context), stages: stageCacheReferences(image, context) };
}

/** The default branch's image (`image:main`), which a build's size is set against; undefined when unknown. */
export function defaultBranchImage(settings: Settings, context: RefContext): string | undefined {
  const image = settings.images[0];
  const tag = tagFor(context.defaultBranch);
  return image === undefined || tag === undefined ? undefined : `${image}:${tag}`;
}
