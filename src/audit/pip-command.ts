import { programAndArgs } from './shell.js';
import { urlIsPinned } from './url-pin.js';

/** A `pip install` (or `pip wheel` / `pip download`, which resolve the same way) read from one shell command. */
export interface PipInstall {
  /** Files given with `-r` / `--requirement`, as written. */
  requirementFiles: string[];
  /** `-c` / `--constraint` was given: the constraints file pins the versions. */
  constrained: boolean;
  /** Requirement specifiers named on the command line, e.g. `flask` or `flask==3.0.3`. */
  specifiers: string[];
  /** Local projects or archives (`.`, `./lib`, `dist/app.whl`), which pin nothing by themselves. */
  localPaths: string[];
  /** `--no-deps`: only the named projects, none of their dependencies. */
  noDeps: boolean;
  /** `wheel` or `download`: the packages are built or fetched, not installed. */
  installs: boolean;
}

/** Options of `pip install` that take the next word as their value. */
const OPTIONS_WITH_VALUE = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--no-binary',
  '--only-binary',
  '--progress-bar',
  '--cache-dir',
  '--src',
  '--trusted-host',
  '--upgrade-strategy',
  '--log',
  '--timeout',
  '--retries',
  '--proxy',
  '--cert',
  '--client-cert',
  '--exists-action',
  '--global-option',
  '-C',
  '--config-settings',
  '--report',
  '--python',
  // uv pip's own options
  '-p',
  '--index',
  '--default-index',
  '--index-strategy',
  '--keyring-provider',
  '--resolution',
  '--prerelease',
  '--link-mode',
  '--extra',
  '--group',
  '--overrides',
  '-b',
  '--build-constraints',
  '-P',
  '--upgrade-package',
  '--torch-backend',
  '--exclude-newer',
  '--python-preference',
]);

/** The words after the subcommand when the command is pip's install, wheel or download, run any of the usual ways. */
function installArgs(words: string[]): { args: string[]; installs: boolean } | undefined {
  const command = programAndArgs(words);
  if (command === undefined) return undefined;
  let { program, args } = command;
  if (/^python[\d.]*$/.test(program) && args[0] === '-m' && args[1] === 'pip')
    [program, args] = ['pip', args.slice(2)];
  if (program === 'uv' && args[0] === 'pip') [program, args] = ['pip', args.slice(1)];
  if (!/^pip[\d.]*$/.test(program)) return undefined;
  const at = args.findIndex((arg) => !arg.startsWith('-'));
  return at !== -1 && ['install', 'wheel', 'download'].includes(args[at] ?? '')
    ? { args: args.slice(at + 1), installs: args[at] === 'install' }
    : undefined;
}

function isLocalPath(word: string): boolean {
  return (
    !word.includes('://') &&
    (/^(\.|\/|~)/.test(word) || /\.(whl|tar\.gz|zip)$/.test(word) || word.includes('/'))
  );
}

/** Reads `pip install` (also `python -m pip install` and `uv pip install`); undefined when it is none. */
export function pipInstall(words: string[]): PipInstall | undefined {
  const command = installArgs(words);
  if (command === undefined) return undefined;
  const { args } = command;
  const found: PipInstall = {
    requirementFiles: [],
    constrained: false,
    specifiers: [],
    localPaths: [],
    noDeps: false,
    installs: command.installs,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const option = equals === -1 ? arg : arg.slice(0, equals);
    // The value of an option: after `=`, glued to a short option (`-rreqs.txt`), or the next word.
    const value = (): string =>
      equals !== -1
        ? arg.slice(equals + 1)
        : option.length > 2 && !option.startsWith('--')
          ? option.slice(2)
          : (args[++i] ?? '');
    const short = option.startsWith('--') ? option : option.slice(0, 2);
    // uv pip also spells them `--requirements` and `--constraints`.
    if (short === '-r' || option === '--requirement' || option === '--requirements')
      found.requirementFiles.push(value());
    else if (short === '-c' || option === '--constraint' || option === '--constraints')
      found.constrained = value() !== '';
    else if (short === '-e' || option === '--editable') found.localPaths.push(value());
    else if (option === '--no-deps') found.noDeps = true;
    else if (OPTIONS_WITH_VALUE.has(option)) value();
    else if (option.startsWith('-')) continue;
    else if (isLocalPath(arg)) found.localPaths.push(arg);
    else found.specifiers.push(arg);
  }
  return found;
}

/**
 * `name==1.2.3` or `name===1.2.3`, or a direct URL reference to a fixed commit, tag or file
 * (`url-pin.ts`); `==1.*` is a range, not a pin.
 */
export function isPinned(specifier: string): boolean {
  const requirement = specifier.split(';', 1)[0] ?? '';
  const direct = /^[A-Za-z0-9._-]+(?:\[[^\]]*\])?\s*@\s*(\S+)/.exec(requirement)?.[1];
  if (direct !== undefined) return urlIsPinned(direct);
  if (requirement.includes('://')) return urlIsPinned(requirement.trim().split(/\s/, 1)[0] ?? '');
  const exact = /===?\s*([^\s,;]+)/.exec(requirement);
  return exact !== null && !(exact[1] ?? '').endsWith('*');
}
