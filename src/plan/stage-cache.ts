import type { Engine } from '../docker/engine-info.js';
import type { Settings } from '../inputs/settings.js';

/** Where a build keeps every stage's layers in the registry: read these, write the first. */
export interface StageCache {
  /** The `buildcache-…` references, best first (this ref's, then the default branch's). */
  from: string[];
  /** The reference this run writes its cache to, with `mode=max`. */
  to: string;
}

/**
 * The separate registry cache that holds every stage, where the builder can write one: buildx on
 * the containerd image store, or a builder of its own (`builder` naming a buildx instance). Docker's
 * own (overlay2) image store gives the docker driver only the inline cache, which holds the final
 * stage alone. Only a run that pushes writes to the registry; the user's `cache-to` replaces it.
 */
export function stageCache(
  settings: Settings,
  engine: Engine,
  ownBuilder: boolean,
  references: readonly string[],
): StageCache | undefined {
  const to = references[0];
  const canExport = engine.buildx && (engine.containerdStore === true || ownBuilder);
  if (!canExport || to === undefined || !settings.cache || !settings.push || settings.cacheTo.length > 0)
    return undefined;
  return { from: [...references], to };
}

/** The `--cache-to` value of a stage cache: every stage (`mode=max`); a registry that refuses it fails no build. */
export function stageCacheExport(reference: string): string {
  return `type=registry,ref=${reference},mode=max,ignore-error=true`;
}
