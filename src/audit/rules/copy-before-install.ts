import type { Stage, Step } from '../dockerfile-model.js';
import { installsDependencies } from '../dependency-install.js';
import type { RuleFinding } from '../finding.js';
import { runSteps } from '../run-steps.js';
import type { Rule } from './rule.js';

/** `COPY . .`, `COPY ./ /app`, `ADD . /src`: the whole build context, not from another stage. */
function copiesWholeContext(step: Step): boolean {
  if ((step.keyword !== 'COPY' && step.keyword !== 'ADD') || step.flags.some(([name]) => name === 'from'))
    return false;
  const sources = step.text.trim().split(/\s+/).slice(0, -1);
  return sources.some((source) => source === '.' || source === './');
}

function check(stage: Stage): RuleFinding[] {
  const copy = stage.steps.find(copiesWholeContext);
  if (copy === undefined) return [];
  const runs = runSteps(stage);
  const installedBefore = runs.some(
    ({ step, commands }) =>
      step.line < copy.line && commands.some((words) => installsDependencies(words, false)),
  );
  const install = runs.find(
    ({ step, commands }) =>
      step.line > copy.line && commands.some((words) => installsDependencies(words, installedBefore)),
  );
  if (install === undefined) return [];
  return [
    {
      rule: 'copy-before-install',
      line: copy.line,
      message: `\`${copy.keyword} ${copy.text.trim()}\` copies the whole context before the dependency install on line ${install.step.line}, so every code change re-runs the install: copy only the dependency files first (e.g. \`COPY requirements.txt .\`), install, then copy the rest.`,
    },
  ];
}

/** In each stage, dependencies are installed before the whole context is copied. */
export const copyBeforeInstall: Rule = ({ stages }) => stages.flatMap(check);
