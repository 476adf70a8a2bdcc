import {
  Arg,
  type Dockerfile,
  DockerfileParser,
  Env,
  From,
  type Instruction,
  ModifiableInstruction,
} from 'dockerfile-ast';
import { expandVariables } from './dockerfile-expand.js';
import { PLATFORM_ARG_NAMES } from './platform-args.js';

const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

/** One instruction, reduced to what the rules read. */
export interface Step {
  keyword: string;
  /** 1-based line where the instruction starts (continuation lines belong to it). */
  line: number;
  /**
   * Arguments without flags, continuation lines joined; comment lines inside the instruction are
   * dropped, as Docker drops them before it reads the instruction.
   */
  text: string;
  /** Flags such as `--from` or `--mount`, as name/value pairs (`--mount` may repeat). */
  flags: [string, string][];
  /** `ENV` name/value pairs; empty for other instructions. */
  env: [string, string][];
  /** `ARG` names with their default (undefined: none); empty for other instructions. */
  args: [string, string | undefined][];
}

export interface Stage {
  /** Position in the Dockerfile, from 0 (`COPY --from=0` names a stage by it). */
  index: number;
  /** Name after AS, lower-cased; undefined when the stage has none. */
  name: string | undefined;
  /** The FROM image with ARGs declared before the first FROM (and platform ARGs) resolved. */
  image: string;
  fromLine: number;
  /** The earlier stage that this one starts from, when FROM names a stage. */
  parent: Stage | undefined;
  steps: Step[];
}

export interface DockerfileModel {
  stages: Stage[];
  /** 1-based line → the comment on it, `#` removed. */
  comments: Map<number, string>;
  /** Values of the ARGs declared before the first FROM, with the automatic platform ARGs. */
  globalArgs: Map<string, string>;
}

/** The arguments' text as Docker reads it: without comment lines inside a continued instruction. */
function argumentsText(instruction: Instruction, commentLines: ReadonlySet<number>): string {
  const { start, end } = instruction.getRange();
  for (let line = start.line + 1; line <= end.line; line++) {
    // dockerfile-ast's arguments already skip such lines; joined by one space they are the same
    // shell code, since the lines were joined by continuations anyway.
    if (commentLines.has(line))
      return instruction
        .getArguments()
        .map((argument) => argument.getValue())
        .join(' ');
  }
  return instruction.getArgumentsContent() ?? '';
}

function toStep(instruction: Instruction, commentLines: ReadonlySet<number>): Step {
  const flags =
    instruction instanceof ModifiableInstruction
      ? instruction.getFlags().map((flag): [string, string] => [flag.getName(), flag.getValue() ?? ''])
      : [];
  const env =
    instruction instanceof Env
      ? instruction.getProperties().map((p): [string, string] => [p.getName(), p.getValue() ?? ''])
      : [];
  const args =
    instruction instanceof Arg
      ? instruction
          .getProperties()
          .map((p): [string, string | undefined] => [p.getName(), p.getValue() ?? undefined])
      : [];
  return {
    keyword: instruction.getKeyword(),
    line: instruction.getRange().start.line + 1,
    text: argumentsText(instruction, commentLines),
    flags,
    env,
    args,
  };
}

/**
 * Values of the ARGs before the first FROM: a `build-args` value wins over the default; the
 * automatic platform ARGs keep their value when redeclared without one.
 */
function globalArgs(
  parsed: Dockerfile,
  buildArgs: ReadonlyMap<string, string>,
  platform: ReadonlyMap<string, string>,
): Map<string, string> {
  const values = new Map(platform);
  for (const arg of parsed.getInitialARGs()) {
    const property = arg.getProperty();
    if (property === null) continue;
    const name = property.getName();
    const fallback = (PLATFORM_ARG_NAMES as readonly string[]).includes(name)
      ? platform.get(name)
      : undefined;
    const declared = property.getValue();
    values.set(
      name,
      buildArgs.get(name) ??
        (declared === null ? fallback : undefined) ??
        expandVariables(declared ?? '', values),
    );
  }
  return values;
}

/** Splits a Dockerfile into its build stages. Pure. */
export function parseDockerfile(
  text: string,
  buildArgs: ReadonlyMap<string, string> = new Map(),
  platform: ReadonlyMap<string, string> = new Map(),
): DockerfileModel {
  const parsed = DockerfileParser.parse(text);
  const args = globalArgs(parsed, buildArgs, platform);
  const commentLines = new Set(parsed.getComments().map((comment) => comment.getRange().start.line));
  const stages: Stage[] = [];
  for (const instruction of parsed.getInstructions()) {
    if (instruction instanceof From) {
      const image = expandVariables(instruction.getImage() ?? '', args);
      const name = instruction.getBuildStage()?.toLowerCase() ?? undefined;
      const parent = stages.find((stage) => stage.name !== undefined && stage.name === image.toLowerCase());
      stages.push({
        index: stages.length,
        name,
        image,
        fromLine: instruction.getRange().start.line + 1,
        parent,
        steps: [],
      });
    } else {
      stages.at(-1)?.steps.push(toStep(instruction, commentLines));
    }
  }
  const comments = new Map(
    parsed
      .getComments()
      .map((comment): [number, string] => [comment.getRange().start.line + 1, comment.getContent()]),
  );
  // dockerfile-ast reads any `# key=value` at the top as a parser directive; Docker knows only
  // these and takes the others for comments (e.g. `# hadolint ignore=DL3006` above the first FROM).
  const lines = text.split(/\r?\n/);
  for (const directive of parsed.getDirectives()) {
    if (KNOWN_DIRECTIVES.has(directive.getName().toLowerCase())) continue;
    const line = directive.getRange().start.line;
    comments.set(line + 1, (lines[line] ?? '').replace(/^\s*#\s*/, '').trim());
  }
  return { stages, comments, globalArgs: args };
}

/** The stage itself first, then the stages it starts from. */
export function lineage(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let current: Stage | undefined = stage; current !== undefined; current = current.parent)
    chain.push(current);
  return chain;
}

/** Build arguments every builder accepts without an ARG (proxies, BuildKit's own switches). */
const PREDEFINED = /^(?:(?:HTTP|HTTPS|FTP|NO|ALL)_PROXY|(?:http|https|ftp|no|all)_proxy|BUILDKIT_\w+)$/;

/** Keys of `KEY=VALUE` build arguments that no ARG in the Dockerfile declares, in input order. */
export function undeclaredBuildArgs(dockerfile: string, buildArgs: readonly string[]): string[] {
  if (buildArgs.length === 0) return [];
  const declared = new Set(
    DockerfileParser.parse(dockerfile)
      .getInstructions()
      .filter((instruction) => instruction.getKeyword() === 'ARG')
      .flatMap((instruction) =>
        instruction.getArguments().map((arg) => arg.getValue().split('=', 1)[0] ?? ''),
      ),
  );
  const keys = buildArgs.map((arg) => arg.split('=', 1)[0] ?? '');
  return keys.filter(
    (key, index) => !declared.has(key) && !PREDEFINED.test(key) && keys.indexOf(key) === index,
  );
}
