import { programAndArgs } from './shell.js';

/** An install or removal of system packages by apt, apk, yum, dnf or microdnf. */
export interface OsPackageCommand {
  manager: 'apt' | 'apk' | 'rpm';
  action: 'install' | 'remove';
  /** Package names without `=version`, `:arch` or apk's `>version`. */
  packages: string[];
  /** apt only: `--no-install-recommends` (or `-o APT::Install-Recommends=false`) was given. */
  noRecommends: boolean;
  /** apk only: the name given with `--virtual`, which `apk del` can later remove as one. */
  virtual: string | undefined;
}

const SUBCOMMANDS: Record<OsPackageCommand['manager'], { install: string[]; remove: string[] }> = {
  apt: { install: ['install'], remove: ['remove', 'purge', 'autoremove'] },
  apk: { install: ['add'], remove: ['del'] },
  rpm: { install: ['install'], remove: ['remove', 'erase'] },
};

/** Options that take the next word as their value. */
const OPTIONS_WITH_VALUE = new Set([
  '-o',
  '-t',
  '-c',
  '--target-release',
  '--virtual',
  '-X',
  '--repository',
  '--setopt',
]);

function managerOf(program: string): OsPackageCommand['manager'] | undefined {
  if (program === 'apt-get' || program === 'apt' || program === 'aptitude') return 'apt';
  if (program === 'apk') return 'apk';
  if (program === 'yum' || program === 'dnf' || program === 'microdnf') return 'rpm';
  return undefined;
}

function packageName(word: string): string {
  return word.split(/[=:<>~]/, 1)[0] ?? word;
}

/** Reads a system package command from one shell command; undefined when it is none. */
export function osPackageCommand(words: string[]): OsPackageCommand | undefined {
  const command = programAndArgs(words);
  if (command === undefined) return undefined;
  const manager = managerOf(command.program);
  if (manager === undefined) return undefined;
  const operands: string[] = [];
  const options: [string, string | undefined][] = [];
  for (let i = 0; i < command.args.length; i++) {
    const arg = command.args[i] ?? '';
    if (!arg.startsWith('-')) operands.push(arg);
    else if (OPTIONS_WITH_VALUE.has(arg)) options.push([arg, command.args[++i]]);
    else
      options.push(
        arg.includes('=')
          ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
          : [arg, undefined],
      );
  }
  const [subcommand, ...rest] = operands;
  const action = SUBCOMMANDS[manager].install.includes(subcommand ?? '')
    ? 'install'
    : SUBCOMMANDS[manager].remove.includes(subcommand ?? '')
      ? 'remove'
      : undefined;
  if (action === undefined) return undefined;
  const noRecommends = options.some(
    ([name, value]) =>
      name === '--no-install-recommends' ||
      (name === '-o' && /^APT::Install-Recommends=(false|0)$/i.test(value ?? '')),
  );
  const virtual = options.find(([name]) => name === '--virtual' || name === '-t')?.[1];
  return {
    manager,
    action,
    packages: rest.map(packageName),
    noRecommends,
    virtual: manager === 'apk' ? virtual : undefined,
  };
}
