// The one environment every child process gets: the test command, docker, credential helpers.
// It lives here, not in execute/, because the registry reader runs credential helpers too and
// must not import execute/.
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The runner's own service credentials and addresses. A plain `run:` step never gets them, and no
 * child of this action does either (docker and a test command have no use for them).
 */
export const RUNNER_SERVICE_VARIABLES: readonly string[] = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
];

/** buildx's `type=gha` cache backend reads these from its own environment: its build gets them back. */
const RUNNER_CACHE_VARIABLES: readonly string[] = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
];

/** Dropped too: every variable starting with these (the action's inputs, INPUT_PASSWORD among them). */
const DROPPED_PREFIXES: readonly string[] = ['INPUT_'];

function dropped(name: string): boolean {
  return (
    DROPPED_PREFIXES.some((prefix) => name.startsWith(prefix)) || RUNNER_SERVICE_VARIABLES.includes(name)
  );
}

export interface ChildEnvironmentOptions {
  /** The command is a buildx build with a `type=gha` cache: it gets the runner's cache variables. */
  runnerCache?: boolean;
}

/**
 * The parent's environment without the action's inputs and the runner's service variables, plus
 * `extra` (which wins). The password reaches `docker login` through stdin and nowhere else.
 */
export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  extra: Record<string, string> = {},
  options: ChildEnvironmentOptions = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    if (!dropped(name) || (options.runnerCache === true && RUNNER_CACHE_VARIABLES.includes(name))) {
      env[name] = value;
    }
  }
  return { ...env, ...extra };
}

/** Whether argv names a `type=gha` cache (`--cache-from type=gha…`, `--cache-to=type=gha…`). */
export function usesRunnerCache(args: readonly string[]): boolean {
  return args.some((arg, index) => {
    const previous = args[index - 1];
    const value =
      previous === '--cache-from' || previous === '--cache-to'
        ? arg
        : /^--cache-(from|to)=(.*)$/.exec(arg)?.[2];
    return value !== undefined && /^type=gha(,|$)/.test(value);
  });
}

/**
 * Where a program is, searched only in the absolute entries of PATH: an empty or relative entry
 * would make a file in the working directory (the checked-out workspace) run.
 */
export function searchPath(pathVariable: string | undefined): string[] {
  return (pathVariable ?? '').split(path.delimiter).filter((entry) => path.isAbsolute(entry));
}

/**
 * The program's file in the first absolute PATH entry that has it as an executable file (an
 * absolute name is taken as it is); undefined when none has it. Every program the action runs
 * (docker, git, bash, its credential helpers) is found through this one lookup.
 */
export function findProgram(program: string, pathVariable: string | undefined): string | undefined {
  if (path.isAbsolute(program)) return program;
  if (program.includes('/')) return undefined;
  for (const dir of searchPath(pathVariable)) {
    const file = path.join(dir, program);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}
