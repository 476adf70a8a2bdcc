import * as path from 'node:path';
import type { RuleFinding } from '../finding.js';
import { isPinned, pipInstall } from '../pip-command.js';
import { parseRequirements } from '../requirements.js';
import { runSteps } from '../run-steps.js';
import { list, say } from '../message.js';
import type { AuditedBuild, Rule } from './rule.js';

const MAX_INCLUDE_DEPTH = 5;

/**
 * Where a `-r` file is in the build context: the path as written when it is relative, else (an
 * absolute path inside the image) the same path from the top of the context (`/requirements/prod.txt`
 * copied from `requirements/`), or a file of the same name at the top of the context.
 */
function contextCandidates(file: string): string[] {
  if (file === '' || file.includes('$')) return [];
  const normal = path.posix.normalize(file);
  return [
    ...new Set(
      path.posix.isAbsolute(normal)
        ? [normal.slice(1), path.posix.basename(normal)]
        : [normal, path.posix.basename(normal)],
    ),
  ];
}

/** Unpinned requirements of a file and the files it includes, as `name (file:line)`; undefined when not found. */
function unpinnedIn(file: string, build: AuditedBuild, depth = 0): string[] | undefined {
  for (const candidate of contextCandidates(file)) {
    const text = build.readContextFile(candidate);
    if (text === undefined) continue;
    const parsed = parseRequirements(text);
    if (parsed.constrained) return [];
    const own = parsed.unpinned.map(({ requirement, line }) =>
      requirement === undefined ? `${candidate}:${line}` : `${requirement} (${candidate}:${line})`,
    );
    if (depth >= MAX_INCLUDE_DEPTH) return own;
    const included = parsed.includes.flatMap(
      (include) =>
        unpinnedIn(path.posix.join(path.posix.dirname(candidate), include), build, depth + 1) ?? [],
    );
    return [...own, ...included];
  }
  return undefined;
}

function unpinnedOfCommand(words: string[], build: AuditedBuild): string[] {
  const pip = pipInstall(words);
  if (pip === undefined || pip.constrained) return [];
  const named = pip.specifiers.filter((specifier) => !specifier.includes('$') && !isPinned(specifier));
  return [...named, ...pip.requirementFiles.flatMap((file) => unpinnedIn(file, build) ?? [])];
}

/** pip installs exact versions: `==` on the command line, or a requirements file that pins every line. */
export const unpinnedPip: Rule = (build) =>
  build.stages.flatMap(runSteps).flatMap(({ step, commands }): RuleFinding[] => {
    const unpinned = commands.flatMap((words) => unpinnedOfCommand(words, build));
    if (unpinned.length === 0) return [];
    return [
      {
        rule: 'unpinned-pip',
        line: step.line,
        message: say`pip installs without a pinned version: ${list(unpinned)}. Pin each one with \`==\` (pip-compile or \`pip freeze\` writes a fully pinned requirements file), so every build installs the same versions.`,
      },
    ];
  });
