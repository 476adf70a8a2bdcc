import { pipInstall } from './pip-command.js';
import { programAndArgs } from './shell.js';

/** A shell command that installs dependencies, and what it reads. */
export interface DependencyInstall {
  /**
   * `packages`: pip installs named packages or `-r` files; `lock`: a package manager installs from
   * the project's manifest or lock file; `project`: `pip install .` installs the project with its
   * dependencies.
   */
  kind: 'packages' | 'lock' | 'project';
  /** The files the install reads, to copy before it (empty: it reads none). */
  files: string[];
  /** The command that installs only the dependencies before the copy, when the tool has one. */
  dependenciesOnly: string | undefined;
  /** `pip wheel` / `pip download`: builds or fetches the packages without installing them. */
  buildsOnly: boolean;
}

interface Manager {
  subcommands: string[];
  files: string[];
  /** Options written before the subcommand that take the next word as their value. */
  optionsWithValue: string[];
  dependenciesOnly?: string;
}

/** Package managers that install a project's dependencies from its manifest or lock file. */
const MANAGERS: Record<string, Manager> = {
  poetry: {
    subcommands: ['install', 'sync'],
    files: ['pyproject.toml', 'poetry.lock'],
    optionsWithValue: ['-C', '--directory', '-P', '--project'],
    dependenciesOnly: 'poetry install --no-root',
  },
  pipenv: {
    subcommands: ['install', 'sync'],
    files: ['Pipfile', 'Pipfile.lock'],
    optionsWithValue: ['--python'],
  },
  pdm: {
    subcommands: ['install', 'sync'],
    files: ['pyproject.toml', 'pdm.lock'],
    optionsWithValue: ['-p', '--project'],
    dependenciesOnly: 'pdm install --no-self',
  },
  uv: {
    subcommands: ['sync'],
    files: ['pyproject.toml', 'uv.lock'],
    optionsWithValue: ['--directory', '--project', '-p', '--python', '--cache-dir', '--config-file'],
    dependenciesOnly: 'uv sync --frozen --no-install-project',
  },
  npm: {
    subcommands: ['ci', 'install', 'i'],
    files: ['package.json', 'package-lock.json'],
    optionsWithValue: ['--prefix', '--registry', '--cache', '--loglevel', '-w', '--workspace'],
  },
  yarn: {
    subcommands: ['install'],
    files: ['package.json', 'yarn.lock'],
    optionsWithValue: [
      '--network-timeout',
      '--cache-folder',
      '--modules-folder',
      '--mutex',
      '--registry',
      '--cwd',
      '--network-concurrency',
    ],
  },
  pnpm: {
    subcommands: ['install', 'i'],
    files: ['package.json', 'pnpm-lock.yaml'],
    optionsWithValue: ['-C', '--dir', '-F', '--filter', '--store-dir', '--registry', '--reporter'],
  },
  bundle: { subcommands: ['install'], files: ['Gemfile', 'Gemfile.lock'], optionsWithValue: [] },
  composer: {
    subcommands: ['install'],
    files: ['composer.json', 'composer.lock'],
    optionsWithValue: ['-d', '--working-dir'],
  },
  go: { subcommands: ['mod download'], files: ['go.mod', 'go.sum'], optionsWithValue: ['-C'] },
};

/** The words that name the subcommand: options before it (and their values) skipped. */
function subcommandOf(args: string[], optionsWithValue: string[]): string[] {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (optionsWithValue.includes(arg)) i++;
    else if (!arg.startsWith('-')) return args.slice(i).filter((word) => !word.startsWith('-'));
  }
  return [];
}

/** Reads a dependency install from one shell command; undefined when it is none. */
export function dependencyInstall(words: string[]): DependencyInstall | undefined {
  const pip = pipInstall(words);
  if (pip !== undefined) {
    if (pip.specifiers.length > 0 || pip.requirementFiles.length > 0)
      return {
        kind: 'packages',
        files: pip.requirementFiles,
        dependenciesOnly: undefined,
        buildsOnly: !pip.installs,
      };
    if (pip.localPaths.length > 0 && !pip.noDeps)
      return {
        kind: 'project',
        files: ['pyproject.toml'],
        dependenciesOnly: undefined,
        buildsOnly: !pip.installs,
      };
    return undefined;
  }
  const command = programAndArgs(words);
  const manager = command === undefined ? undefined : MANAGERS[command.program];
  if (command === undefined || manager === undefined) return undefined;
  const subcommand = subcommandOf(command.args, manager.optionsWithValue);
  const installs =
    (command.program === 'yarn' && subcommand.length === 0) ||
    manager.subcommands.some((known) => known === subcommand.slice(0, known.split(' ').length).join(' '));
  return installs
    ? { kind: 'lock', files: manager.files, dependenciesOnly: manager.dependenciesOnly, buildsOnly: false }
    : undefined;
}
