import { mountTarget } from '../mounts.js';
import { osPackageCommand } from '../os-packages.js';
import { type RunStep, runSteps } from '../run-steps.js';
import { programAndArgs } from '../shell.js';
import { type Message, say } from '../message.js';
import type { Rule } from './rule.js';

function isAptInstall(words: string[]): boolean {
  const command = osPackageCommand(words);
  return command?.manager === 'apt' && command.action === 'install';
}

/** The lists, or a folder above them: `/var/lib/apt/lists/*`, `/var/lib/apt`, `/var/lib/apt/*`. */
const APT_LISTS = /^\/var\/lib\/apt(?:\/?|\/\*|\/lists(?:\/.*)?)$/;

/**
 * `rm -rf /var/lib/apt/lists/*` (or all of /var/lib/apt), or `apt-get distclean` (apt 2.7+, Debian
 * trixie), which removes them too.
 */
function removesAptLists(words: string[]): boolean {
  const command = programAndArgs(words);
  if (command === undefined) return false;
  if (command.program === 'rm') return command.args.some((arg) => APT_LISTS.test(arg));
  return (
    ['apt-get', 'apt'].includes(command.program) &&
    command.args.some((arg) => arg === 'distclean' || arg === 'dist-clean')
  );
}

/** A `--mount` on /var/lib/apt or its lists keeps them out of the layer, whatever the type. */
function mountsAptLists(run: RunStep): boolean {
  return run.step.flags.some(([name, value]) => {
    const target = name === 'mount' ? mountTarget(value) : undefined;
    return target !== undefined && /^\/var\/lib\/apt(\/lists)?\/?$/.test(target);
  });
}

/**
 * Why this RUN leaves apt lists in its layer; undefined when it does not. The removal must come
 * after the last install: a second `apt-get install` after `rm -rf /var/lib/apt/lists/*` needs an
 * `apt-get update`, which writes the lists again.
 */
function aptListsLeft(run: RunStep): Message | undefined {
  const lastInstall = run.commands.map(isAptInstall).lastIndexOf(true);
  if (lastInstall === -1 || mountsAptLists(run)) return undefined;
  const removed = run.commands.findIndex(removesAptLists);
  if (removed === -1)
    return say`\`apt-get install\` leaves the apt package lists in the layer (tens of MB): end the same RUN with \`&& rm -rf /var/lib/apt/lists/*\`.`;
  if (removed < lastInstall)
    return say`An \`apt-get install\` after the \`rm -rf /var/lib/apt/lists/*\` of the same RUN leaves the package lists in the layer again: remove them once, after the last install.`;
  return undefined;
}

// Both rules look at the shipped stages only: a builder stage's apt lists and recommended
// packages never reach the image, which takes only the files copied from it.

/** apt-get install asks for --no-install-recommends. */
export const aptRecommends: Rule = ({ shipped }) =>
  shipped
    .flatMap(runSteps)
    .filter((run) =>
      run.commands.some((words) => osPackageCommand(words)?.noRecommends === false && isAptInstall(words)),
    )
    .map((run) => ({
      rule: 'apt-recommends' as const,
      line: run.step.line,
      message: say`\`apt-get install\` without \`--no-install-recommends\` also installs recommended packages the image does not need: add \`--no-install-recommends\`.`,
    }));

/** apt-get install removes the package lists in the same RUN, so no layer keeps them. */
export const aptLists: Rule = ({ shipped }) =>
  shipped.flatMap(runSteps).flatMap((run) => {
    const message = aptListsLeft(run);
    return message === undefined ? [] : [{ rule: 'apt-lists' as const, line: run.step.line, message }];
  });
