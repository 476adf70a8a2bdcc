import { lineage, type Stage, type Step } from '../plan/dockerfile-model.js';
import { osPackageCommand } from './os-packages.js';
import { shellCommands } from './shell.js';

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

function installsPython(stage: Stage): boolean {
  return runSteps(stage).some(({ commands }) =>
    commands.some((words) => {
      const command = osPackageCommand(words);
      return (
        command?.action === 'install' && command.packages.some((name) => /^python[\d.]*(-|$)/.test(name))
      );
    }),
  );
}

/** A Python image: its base image's name or tag says python, or it (or a stage it starts from) installs python. */
export function isPythonStage(stage: Stage): boolean {
  return lineage(stage).some(
    (ancestor) =>
      (ancestor.parent === undefined && ancestor.image.toLowerCase().includes('python')) ||
      installsPython(ancestor),
  );
}
