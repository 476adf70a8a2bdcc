import { lineage, parseDockerfile } from './dockerfile-model.js';

/**
 * The image the built stage stands on, as its FROM names it after the build-args: followed
 * through `FROM <earlier stage>` to the first FROM that names an image.
 */
export type BaseImage =
  | {
      kind: 'image';
      /** The reference as the Dockerfile writes it, variables substituted (`python:3.12-slim`). */
      name: string;
      /** The digest the reference pins (`name@sha256:...`): the base cannot change. */
      pinned: string | undefined;
    }
  /** `FROM scratch`: the image has no base. */
  | { kind: 'scratch' }
  /** The base cannot be told from the Dockerfile alone. */
  | { kind: 'unknown'; reason: string };

/** `KEY=VALUE` build arguments as a map; the last value of a key wins, as docker has it. */
function buildArgValues(buildArgs: readonly string[]): Map<string, string> {
  return new Map(
    buildArgs
      .filter((arg) => arg.includes('='))
      .map((arg): [string, string] => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]),
  );
}

/** The base image of the stage a build ends with: `target`, else the last stage. Pure. */
export function baseImageOf(
  dockerfile: string,
  buildArgs: readonly string[],
  target: string | undefined,
): BaseImage {
  const { stages } = parseDockerfile(dockerfile, buildArgValues(buildArgs));
  const wanted = target?.toLowerCase();
  const built = wanted === undefined ? stages.at(-1) : stages.find((stage) => stage.name === wanted);
  if (built === undefined) {
    return {
      kind: 'unknown',
      reason: wanted === undefined ? 'the Dockerfile has no FROM' : `the Dockerfile has no stage "${target}"`,
    };
  }
  const first = lineage(built).at(-1) ?? built;
  const reference = first.image.trim();
  if (reference.toLowerCase() === 'scratch') return { kind: 'scratch' };
  if (reference === '' || /[\s$]/.test(reference) || /[:@]$/.test(reference)) {
    return {
      kind: 'unknown',
      reason: `the FROM on line ${first.fromLine} names no complete image ("${reference}") after the build-args and ARG defaults`,
    };
  }
  const at = reference.indexOf('@');
  return {
    kind: 'image',
    name: reference,
    pinned: at === -1 ? undefined : reference.slice(at + 1),
  };
}
