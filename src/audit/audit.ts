import { InputError } from '../shared/errors.js';
import { lineage, parseDockerfile, type Stage } from '../plan/dockerfile-model.js';
import type { Finding } from './finding.js';
import { ignoredAt } from './ignore.js';
import type { RuleId } from '../inputs/audit-inputs.js';
import { DEFAULT_PLATFORM, platformArgs } from '../plan/platform-args.js';
import { RULES } from './rules/index.js';
import { stagesInScope } from './stage-scope.js';
import { expandVariables, unknownVariables } from '../plan/dockerfile-expand.js';
import { DockerfileParser } from 'dockerfile-ast';

/**
 * Stages whose FROM image the audit cannot know: it names a variable no ARG before the first FROM
 * declares, or uses an expansion the audit does not do (`${V/a/b}`, `${V#prefix}`, `${V:0:3}`),
 * which stays in the image as written. Such a base is unknown, not untagged.
 */
function unknownBases(
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

export interface AuditRequest {
  /** The Dockerfile's path, copied into each finding. */
  file: string;
  text: string;
  /** The `target` stage; undefined: the last stage is the final one. */
  target: string | undefined;
  /** `KEY=VALUE` build arguments: they override the defaults of ARGs used in FROM lines. */
  buildArgs: string[];
  /** Rules silenced for the whole run. */
  ignore: readonly RuleId[];
  /** Text of a file in the build context (requirements files); undefined when there is none. */
  readContextFile: (relativePath: string) => string | undefined;
  /** The platform built for (os/arch[/variant]), for `$TARGETARCH` and the like; default linux/amd64. */
  targetPlatform?: string | undefined;
  /** The platform the build runs on, for `$BUILDARCH` and the like; default linux/amd64. */
  buildPlatform?: string | undefined;
}

/** The stages up to `target`, in order, ending with the target (the last stage without one). */
function builtStages(stages: Stage[], target: string | undefined): Stage[] {
  if (target === undefined) return stages;
  const index = stages.findIndex((stage) => stage.name === target.toLowerCase());
  if (index === -1) {
    const names = stages.flatMap((stage) => (stage.name === undefined ? [] : [stage.name]));
    throw new InputError(
      'target',
      `the Dockerfile has no stage "${target}"; ${names.length > 0 ? `its stages are ${names.join(', ')}` : 'it names no stage (FROM ... AS <name>)'}`,
    );
  }
  return stages.slice(0, index + 1);
}

function buildArgValues(buildArgs: string[]): Map<string, string> {
  return new Map(
    buildArgs.map((arg): [string, string] => [
      arg.slice(0, arg.indexOf('=')),
      arg.slice(arg.indexOf('=') + 1),
    ]),
  );
}

/** Checks a Dockerfile against every rule; findings in line order. Pure apart from `readContextFile`. */
export function auditDockerfile(request: AuditRequest): Finding[] {
  const buildArgs = buildArgValues(request.buildArgs);
  const platform = platformArgs(
    request.targetPlatform ?? DEFAULT_PLATFORM,
    request.buildPlatform ?? DEFAULT_PLATFORM,
  );
  const model = parseDockerfile(request.text, buildArgs, platform);
  const final = builtStages(model.stages, request.target).at(-1);
  // Without a FROM there is nothing to audit; the build itself reports that error.
  if (final === undefined) return [];
  const build = {
    stages: stagesInScope(model.stages, final, model.globalArgs),
    final,
    shipped: lineage(final),
    variables: { globalArgs: model.globalArgs, buildArgs },
    readContextFile: request.readContextFile,
    unknownBases: unknownBases(request.text, model.stages, model.globalArgs),
  };
  return RULES.flatMap((rule) => rule(build))
    .filter((finding) => !request.ignore.includes(finding.rule))
    .filter((finding) => !ignoredAt(finding.line, model.comments).has(finding.rule))
    .map(({ rule, line, message }) => ({
      rule,
      file: request.file,
      line,
      message: message.text,
      markdown: message.markdown,
    }))
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}
