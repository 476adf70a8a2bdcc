import { pipInstall } from './pip-command.js';
import { programAndArgs } from './shell.js';

/** Package manager commands that install a project's dependencies from its manifest or lock file. */
const INSTALL_COMMANDS: Record<string, string[]> = {
  poetry: ['install', 'sync'],
  pipenv: ['install', 'sync'],
  pdm: ['install', 'sync'],
  uv: ['sync'],
  npm: ['ci', 'install', 'i'],
  yarn: ['install'],
  pnpm: ['install', 'i'],
  bundle: ['install'],
  composer: ['install'],
  go: ['mod'],
};

/**
 * Does this shell command install dependencies? `pip install .` counts only while no dependency
 * was installed before it in the stage (`depsInstalledBefore`): then it is what installs them.
 */
export function installsDependencies(words: string[], depsInstalledBefore: boolean): boolean {
  const pip = pipInstall(words);
  if (pip !== undefined) {
    return (
      pip.specifiers.length > 0 ||
      pip.requirementFiles.length > 0 ||
      (pip.localPaths.length > 0 && !pip.noDeps && !depsInstalledBefore)
    );
  }
  const command = programAndArgs(words);
  if (command === undefined) return false;
  const subcommand = command.args.find((arg) => !arg.startsWith('-'));
  if (command.program === 'yarn' && subcommand === undefined) return true;
  return INSTALL_COMMANDS[command.program]?.includes(subcommand ?? '') ?? false;
}
