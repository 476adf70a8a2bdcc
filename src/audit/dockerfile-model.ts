import { type Arg, Env, From, type Instruction, ModifiableInstruction } from 'dockerfile-ast';
import { parsedDockerfile } from '../plan/dockerfile-parse.js';
import { expandVariables } from './expand.js';

/** One instruction, reduced to what the rules read. */
export interface Step {
  keyword: string;
  /** 1-based line where the instruction starts (continuation lines belong to it). */
  line: number;
  /** Arguments without flags, continuation lines joined. */
  text: string;
  /** Flags such as `--from` or `--mount`, as name/value pairs (`--mount` may repeat). */
  flags: [string, string][];
  /** `ENV` name/value pairs; empty for other instructions. */
  env: [string, string][];
}

export interface Stage {
  /** Name after AS, lower-cased; undefined when the stage has none. */
  name: string | undefined;
  /** The FROM image with ARGs declared before the first FROM resolved. */
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
}

function toStep(instruction: Instruction): Step {
  const flags =
    instruction instanceof ModifiableInstruction
      ? instruction.getFlags().map((flag): [string, string] => [flag.getName(), flag.getValue() ?? ''])
      : [];
  const env =
    instruction instanceof Env
      ? instruction.getProperties().map((p): [string, string] => [p.getName(), p.getValue() ?? ''])
      : [];
  return {
    keyword: instruction.getKeyword(),
    line: instruction.getRange().start.line + 1,
    text: instruction.getArgumentsContent() ?? '',
    flags,
    env,
  };
}

/** Values of the ARGs before the first FROM: a `build-args` value wins over the default. */
function globalArgs(initial: Arg[], buildArgs: ReadonlyMap<string, string>): Map<string, string> {
  const values = new Map<string, string>();
  for (const arg of initial) {
    const property = arg.getProperty();
    if (property === null) continue;
    const name = property.getName();
    values.set(name, buildArgs.get(name) ?? expandVariables(property.getValue() ?? '', values));
  }
  return values;
}

/** Splits a Dockerfile into its build stages. Pure. */
export function parseDockerfile(
  text: string,
  buildArgs: ReadonlyMap<string, string> = new Map(),
): DockerfileModel {
  const parsed = parsedDockerfile(text);
  const args = globalArgs(parsed.getInitialARGs(), buildArgs);
  const stages: Stage[] = [];
  for (const instruction of parsed.getInstructions()) {
    if (instruction instanceof From) {
      const image = expandVariables(instruction.getImage() ?? '', args);
      const name = instruction.getBuildStage()?.toLowerCase() ?? undefined;
      const parent = stages.find((stage) => stage.name !== undefined && stage.name === image.toLowerCase());
      stages.push({ name, image, fromLine: instruction.getRange().start.line + 1, parent, steps: [] });
    } else {
      stages.at(-1)?.steps.push(toStep(instruction));
    }
  }
  const comments = new Map(
    parsed
      .getComments()
      .map((comment): [number, string] => [comment.getRange().start.line + 1, comment.getContent()]),
  );
  return { stages, comments };
}

/** The stage itself first, then the stages it starts from. */
export function lineage(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let current: Stage | undefined = stage; current !== undefined; current = current.parent)
    chain.push(current);
  return chain;
}
