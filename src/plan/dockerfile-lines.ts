import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import type { FailedStep } from '../docker/build-output.js';

/** One instruction as builders display it: keyword upper-cased, continuations joined, spaces collapsed. */
function displayed(text: string, escape: string): string {
  const joined = text.split(`${escape}\n`).join('').split(`${escape}\r\n`).join('');
  const collapsed = joined.replace(/\s+/g, ' ').trim();
  const space = collapsed.indexOf(' ');
  return space < 0
    ? collapsed.toUpperCase()
    : `${collapsed.slice(0, space).toUpperCase()}${collapsed.slice(space)}`;
}

interface Stage {
  name: string | undefined;
  index: number;
  instructions: Instruction[];
}

function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') {
      const name = /\s+AS\s+(\S+)\s*$/i.exec(instruction.getArgumentsContent() ?? '')?.[1];
      stages.push({ name: name?.toLowerCase(), index: stages.length, instructions: [instruction] });
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  return stages;
}

/** buildx names a stage by its `AS` name, else `stage-<index>`; a one-stage build has no name. */
function stagesNamed(stages: Stage[], name: string | undefined): Stage[] {
  if (name === undefined) return [...stages].reverse();
  const wanted = name.toLowerCase();
  return stages.filter((stage) => stage.name === wanted || `stage-${stage.index}` === wanted);
}

/** `$NAME`, `${NAME}`, `${NAME:-default}` and the like in an instruction's text. */
const VARIABLE = /\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*(?::?[-+?][^}]*)?\})/g;

/** A pattern of an instruction's text in which each variable stands for any text (possibly none). */
function withVariables(text: string): RegExp {
  const parts = text.split(VARIABLE).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return parts.length === 1 ? /(?!)/ : new RegExp(`^${parts.join('.*')}$`, 's');
}

/** The instruction that starts at a 1-based line, as builders display it (variables as written). */
export function instructionAt(dockerfile: string, line: number): string | undefined {
  const parsed = DockerfileParser.parse(dockerfile);
  const found = parsed.getInstructions().find((i) => lineOf(i) === line);
  return found === undefined ? undefined : displayed(found.getTextContent(), parsed.getEscapeCharacter());
}

function lineOf(instruction: Instruction | undefined): number | undefined {
  return instruction === undefined ? undefined : instruction.getRange().start.line + 1;
}

/**
 * The 1-based Dockerfile line of the instruction a build failed at. The classic builder counts
 * every instruction (ARGs before FROM too); buildx names the stage and shows the instruction text,
 * which is matched against the stage's instructions as it displays them.
 */
export function dockerfileLine(dockerfile: string, failed: FailedStep): number | undefined {
  if (failed.kind === 'source') return failed.line;
  const parsed = DockerfileParser.parse(dockerfile);
  const instructions = parsed.getInstructions();
  if (failed.kind === 'classic') return lineOf(instructions[failed.step - 1]);
  const escape = parsed.getEscapeCharacter();
  const wanted = displayed(failed.instruction, escape);
  const keyword = wanted.split(' ', 1)[0];
  for (const stage of stagesNamed(stagesOf(instructions), failed.stage)) {
    const texts = stage.instructions.map((i) => displayed(i.getTextContent(), escape));
    const exact = texts.indexOf(wanted);
    if (exact !== -1) return lineOf(stage.instructions[exact]);
    // BuildKit shows a RUN with its ARG and ENV values filled in: `RUN echo $V` as `RUN echo 1.2`.
    const expanded = texts.findIndex((text) => withVariables(text).test(wanted));
    if (expanded !== -1) return lineOf(stage.instructions[expanded]);
    // buildx shows FROM with the full image name (docker.io/library/...): the stage's FROM it is.
    if (keyword === 'FROM') return lineOf(stage.instructions[0]);
  }
  return undefined;
}

/**
 * The names of the ARGs a stage (buildx's label, see dockerfileLine) declares before `line` (all of
 * them when undefined): the build arguments its steps from there on see. An ARG before the first
 * FROM is not among them; a stage sees it only when it declares it again.
 */
export function stageArgs(dockerfile: string, stage: string | undefined, line?: number): string[] {
  const [found] = stagesNamed(stagesOf(DockerfileParser.parse(dockerfile).getInstructions()), stage);
  if (found === undefined) return [];
  return found.instructions
    .filter((i) => i.getKeyword() === 'ARG' && (line === undefined || (lineOf(i) ?? 0) < line))
    .flatMap((i) => i.getArguments().map((arg) => arg.getValue().split('=', 1)[0] ?? ''));
}
