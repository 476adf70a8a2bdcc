import { osPackageCommand } from '../os-packages.js';
import { type RunStep, runSteps } from '../run-steps.js';
import { programAndArgs } from '../shell.js';
import type { Rule } from './rule.js';

function aptInstalls(run: RunStep) {
  return run.commands
    .map(osPackageCommand)
    .filter((command) => command?.manager === 'apt' && command.action === 'install');
}

/** `rm -rf /var/lib/apt/lists/*` in the same RUN, or the lists kept out of the layer by a cache mount. */
function dropsAptLists(run: RunStep): boolean {
  const removes = run.commands.some((words) => {
    const command = programAndArgs(words);
    return command?.program === 'rm' && command.args.some((arg) => arg.startsWith('/var/lib/apt/lists'));
  });
  const cached = run.step.flags.some(
    ([name, value]) => name === 'mount' && /target=\/var\/lib\/apt/.test(value),
  );
  return removes || cached;
}

/** apt-get install asks for --no-install-recommends. */
export const aptRecommends: Rule = ({ stages }) =>
  stages
    .flatMap(runSteps)
    .filter((run) => aptInstalls(run).some((command) => command?.noRecommends === false))
    .map((run) => ({
      rule: 'apt-recommends' as const,
      line: run.step.line,
      message:
        '`apt-get install` without `--no-install-recommends` also installs recommended packages the image does not need: add `--no-install-recommends`.',
    }));

/** apt-get install removes the package lists in the same RUN, so no layer keeps them. */
export const aptLists: Rule = ({ stages }) =>
  stages
    .flatMap(runSteps)
    .filter((run) => aptInstalls(run).length > 0 && !dropsAptLists(run))
    .map((run) => ({
      rule: 'apt-lists' as const,
      line: run.step.line,
      message:
        '`apt-get install` leaves the apt package lists in the layer (tens of MB): end the same RUN with `&& rm -rf /var/lib/apt/lists/*`.',
    }));
