import { expandVariables, unknownVariables } from '../plan/dockerfile-expand.js';
import type { Stage } from '../plan/dockerfile-model.js';
import { DockerfileParser } from 'dockerfile-ast';

/**
 * Stages whose FROM image the audit cannot know: it names a variable no ARG before the first FROM
 * declares, or uses an expansion the audit does not do (`${V/a/b}`, `${V#prefix}`, `${V:0:3}`),
 * which stays in the image as written. Such a base is unknown, not untagged.
 */
export function unknownBases(
  text: string,
  stages: readonly Stage[],
  globalArgs: ReadonlyMap<string, string>,
): Set<Stage> {
  const froms = DockerfileParser.parse(text).getFROMs();
  return new Set(
    stages.filter((stage) => {
      const written = froms[stage.index]?.getImage() ?? '';
      return (
        unknownVariables(written, globalArgs).length > 0 || expandVariables(written, globalArgs).includes('$')
      );
    }),
  );
}
