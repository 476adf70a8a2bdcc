import type { Stage, Step } from '../plan/dockerfile-model.js';
import { expandVariables } from '../plan/dockerfile-expand.js';
import { mountOptions } from './mounts.js';

/** What a step reads from other stages or images: `COPY --from=<x>`, `RUN --mount=from=<x>`. */
function sourcesOf(step: Step): string[] {
  return step.flags.flatMap(([name, value]) => {
    if (name === 'from' && (step.keyword === 'COPY' || step.keyword === 'ADD')) return [value];
    const from = name === 'mount' ? mountOptions(value).get('from') : undefined;
    return from === undefined || from === '' ? [] : [from];
  });
}

/** The earlier stage a `--from` value names (by name or by index); undefined for an image. */
export function stageNamed(reference: string, earlier: readonly Stage[]): Stage | undefined {
  const name = reference.toLowerCase();
  if (/^\d+$/.test(name)) return earlier.find((stage) => stage.index === Number(name));
  return earlier.find((stage) => stage.name === name);
}

/**
 * The stages a build of `final` runs, in Dockerfile order: `final` and every stage it depends on
 * through FROM, `COPY --from` or `RUN --mount=from`, transitively. BuildKit skips the others.
 * `globalArgs` expands variables in `--from` values (e.g. `deps-$TARGETARCH`).
 */
export function stagesInScope(
  stages: Stage[],
  final: Stage,
  globalArgs: ReadonlyMap<string, string>,
): Stage[] {
  const needed = new Set<Stage>();
  const visit = (stage: Stage): void => {
    if (needed.has(stage)) return;
    needed.add(stage);
    if (stage.parent !== undefined) visit(stage.parent);
    const earlier = stages.slice(0, stage.index);
    for (const step of stage.steps)
      for (const source of sourcesOf(step)) {
        const named = stageNamed(expandVariables(source, globalArgs), earlier);
        if (named !== undefined) visit(named);
      }
  };
  visit(final);
  return stages.filter((stage) => needed.has(stage));
}
