import { lineage, type Stage, type Step } from '../plan/dockerfile-model.js';
import { osPackageCommand } from './os-packages.js';
import { programAndArgs, shellCommands } from './shell.js';
import { stageNamed } from './stage-scope.js';

/** A RUN instruction with its shell code split into commands. */
export interface RunStep {
  step: Step;
  commands: string[][];
}

export function runSteps(stage: Stage): RunStep[] {
  return stage.steps
    .filter((step) => step.keyword === 'RUN')
    .map((step) => ({ step, commands: shellCommands(step.text) }));
}

/** A `python*` system package, or Python from a tool: `uv python install`, `pyenv install`. */
function installsPython(words: string[]): boolean {
  const packages = osPackageCommand(words);
  if (packages?.action === 'install')
    return packages.packages.some((name) => /^python[\d.]*(-|$)/.test(name));
  const command = programAndArgs(words);
  const [first, second] = command?.args.filter((arg) => !arg.startsWith('-')) ?? [];
  return (
    (command?.program === 'uv' && first === 'python' && second === 'install') ||
    (command?.program === 'pyenv' && first === 'install')
  );
}

/** A source path that holds a Python interpreter: a `python…` folder or program, or all of /usr/local. */
const PYTHON_PATH = /(?:^|\/)python[\d.]*(?:\/|$)|^\/usr\/local\/?$/i;

/** The source paths of a COPY or ADD (shell or JSON form); the last word is the destination. */
function copySources(step: Step): string[] {
  const text = step.text.trim();
  let words: unknown = undefined;
  if (text.startsWith('[')) {
    try {
      words = JSON.parse(text);
    } catch {
      words = undefined;
    }
  }
  const all = Array.isArray(words) ? words.map(String) : text.split(/\s+/);
  return all.slice(0, -1);
}

/**
 * `COPY --from=<stage or image>` of a Python interpreter (`/usr/local/bin/python3.12`, uv's
 * `/python`, all of `/usr/local`) out of a Python stage, or an image whose name says python.
 */
function copiesPython(stage: Stage, stages: readonly Stage[]): boolean {
  return stage.steps.some((step) => {
    const from = step.flags.find(([name]) => name === 'from')?.[1];
    if ((step.keyword !== 'COPY' && step.keyword !== 'ADD') || from === undefined) return false;
    const source = stageNamed(from, stages.slice(0, stage.index));
    const fromPython =
      source === undefined ? from.toLowerCase().includes('python') : isPythonStage(source, stages);
    return fromPython && copySources(step).some((path) => PYTHON_PATH.test(path));
  });
}

/**
 * A Python image: its base image's name or tag says python, or it (or a stage it starts from)
 * installs python, or copies an interpreter from one of `stages` (none given: copies are not looked at).
 */
export function isPythonStage(stage: Stage, stages: readonly Stage[] = []): boolean {
  return lineage(stage).some(
    (ancestor) =>
      (ancestor.parent === undefined && ancestor.image.toLowerCase().includes('python')) ||
      runSteps(ancestor).some(({ commands }) => commands.some(installsPython)) ||
      (stages.length > 0 && copiesPython(ancestor, stages)),
  );
}
