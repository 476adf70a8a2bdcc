import { lineage, type Stage, type Step } from '../../plan/dockerfile-model.js';
import { type DependencyInstall, dependencyInstall } from '../dependency-install.js';
import type { RuleFinding } from '../finding.js';
import { runSteps } from '../run-steps.js';
import { code, codeList, type Message, say } from '../message.js';
import type { Rule } from './rule.js';

/** `COPY . .`, `COPY ./ /app`, `ADD . /src`: the whole build context, not from another stage. */
function copiesWholeContext(step: Step): boolean {
  if ((step.keyword !== 'COPY' && step.keyword !== 'ADD') || step.flags.some(([name]) => name === 'from'))
    return false;
  const sources = step.text.trim().split(/\s+/).slice(0, -1);
  return sources.some((source) => source === '.' || source === './');
}

/**
 * Does this install, after the whole context is copied, re-run the dependency install on every
 * code change? Once the dependencies were installed before the copy (uv's `sync
 * --no-install-project`, `poetry install --no-root`, `pip install -r` of the requirements), a later
 * `uv sync`, `poetry install` or `pip install .` installs only the project: that is the idiom.
 */
function reinstallsDependencies(install: DependencyInstall, installedBefore: boolean): boolean {
  return install.kind === 'packages' || !installedBefore;
}

/**
 * Installs from the project's own dependency files: a lock or manifest, a `-r` file, the project.
 * Tools named on the command line (`pip install --upgrade pip uv`) install none of the project's.
 */
function installsProjectDependencies(words: string[]): boolean {
  const install = dependencyInstall(words);
  return install !== undefined && (install.kind !== 'packages' || install.files.length > 0);
}

function fix(install: DependencyInstall): Message {
  if (install.files.length === 0)
    return say`run this install before the copy (it needs no file of the project), then copy the rest.`;
  const only =
    install.dependenciesOnly === undefined
      ? say`install`
      : say`install with ${code(install.dependenciesOnly)}`;
  return say`copy only ${codeList(install.files, ' and ')} first, ${only}, then copy the rest.`;
}

/** Stages whose results a `COPY --from=<stage>` above `line` brings in (e.g. a builder's .venv). */
function copiedFrom(stage: Stage, line: number, stages: Stage[]): Stage[] {
  return stage.steps
    .filter((step) => step.line < line && step.keyword === 'COPY')
    .flatMap((step) => step.flags.filter(([name]) => name === 'from').map(([, value]) => value.toLowerCase()))
    .flatMap((name) => stages.filter((other) => other.name === name));
}

/** A stage copied from counts when it installed the dependencies, not when it only built wheels. */
function installsInStages(stages: Stage[]): boolean {
  return stages
    .flatMap((stage) => lineage(stage))
    .flatMap(runSteps)
    .some(({ commands }) =>
      commands.some(
        (words) => installsProjectDependencies(words) && dependencyInstall(words)?.buildsOnly === false,
      ),
    );
}

function check(stage: Stage, stages: Stage[]): RuleFinding[] {
  const copy = stage.steps.find(copiesWholeContext);
  if (copy === undefined) return [];
  const runs = runSteps(stage);
  // The stages this one starts FROM ran all their steps before the copy; a stage copied from
  // before the install may have installed the dependencies (`COPY --from=builder /app/.venv`).
  const lastInstallLine = runs.at(-1)?.step.line ?? copy.line;
  const installedBefore =
    lineage(stage)
      .slice(1)
      .flatMap(runSteps)
      .some(({ commands }) => commands.some(installsProjectDependencies)) ||
    installsInStages(copiedFrom(stage, lastInstallLine, stages)) ||
    runs
      .filter(({ step }) => step.line < copy.line)
      .some(({ commands }) => commands.some(installsProjectDependencies));
  for (const { step, commands } of runs.filter(({ step }) => step.line > copy.line)) {
    const installs = commands
      .map(dependencyInstall)
      .filter(
        (found): found is DependencyInstall =>
          found !== undefined && reinstallsDependencies(found, installedBefore),
      );
    // Name the install that reads the project's files (`pip install -e .`), not `pip install -U pip`.
    const install = installs.find((found) => found.files.length > 0) ?? installs[0];
    if (install === undefined) continue;
    return [
      {
        rule: 'copy-before-install',
        line: copy.line,
        message: say`${code(`${copy.keyword} ${copy.text.trim()}`)} copies the whole context before the dependency install on line ${step.line}, so every code change re-runs the install: ${fix(install)}`,
      },
    ];
  }
  return [];
}

/** In each stage, dependencies are installed before the whole context is copied. */
export const copyBeforeInstall: Rule = ({ stages }) => stages.flatMap((stage) => check(stage, stages));
