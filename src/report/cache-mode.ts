import type { Settings } from '../inputs/settings.js';
import { parseDockerfile } from '../plan/dockerfile-model.js';
import type { Step } from '../plan/plan.js';
import type { CacheFacts } from './slow-steps.js';

/** How the planned build keeps its cache: every stage, the final stage inline, the user's exports, or none. */
export function cacheMode(settings: Settings, steps: readonly Step[]): CacheFacts['mode'] {
  if (!settings.cache && settings.cacheTo.length === 0) return 'none';
  if (settings.cacheTo.length > 0) return 'user';
  const build = steps.find((step) => step.kind === 'build');
  return build?.kind === 'build' && build.cacheExport !== undefined ? 'every stage' : 'inline';
}

/** buildx's label of the stage the image is: its name, else `stage-<n>`; undefined for a one-stage build. */
export function finalStageLabel(
  dockerfile: string | undefined,
  target: string | undefined,
): string | undefined {
  if (dockerfile === undefined) return undefined;
  let stages;
  try {
    stages = parseDockerfile(dockerfile).stages;
  } catch {
    return undefined;
  }
  const final =
    target === undefined ? stages.at(-1) : stages.find((stage) => stage.name === target.toLowerCase());
  if (final === undefined || stages.length === 1) return undefined;
  return final.name ?? `stage-${final.index}`;
}
