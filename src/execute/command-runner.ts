import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Secret } from '../inputs/secret.js';

/** One program run with an argv array: values are never pasted into shell code. */
export interface Command {
  program: string;
  args: string[];
  cwd?: string;
  /** Variables added to the (scrubbed) environment of this command only. */
  env?: Record<string, string>;
  /** Written to the command's stdin; the only way a secret reaches a child process. */
  stdin?: Secret;
  /** Written to the command's stdin, and named in the log (never a secret): a file the command reads there. */
  input?: { name: string; text: string };
  /**
   * Stop the command after this long. `docker push` waits forever on a registry that accepted the
   * connection and never answers; ending the CLI makes the daemon cancel that push.
   */
  timeoutSeconds?: number;
}

export interface RunOptions {
  /** Keep the command and its output out of the log (probes whose output is parsed). */
  silent?: boolean;
  /** Called with every line the command prints (stdout and stderr), as it prints it. */
  onLine?: (line: string) => void;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  /** The last lines of stdout and stderr together, for error messages and parsing. */
  tail: string[];
  /** Set when the command was stopped because it ran past its `timeoutSeconds`. */
  timedOut?: boolean;
}

/** The one way the action runs commands; tests substitute a fake. */
export interface CommandRunner {
  run(command: Command, options?: RunOptions): Promise<CommandResult>;
  /**
   * Starts `command` now, before its turn, held at its stdin: it does what it does before reading
   * stdin (a docker CLI starts up and reads the build context) and no more until run.
   */
  hold?(command: Command): HeldCommand;
}

const TAIL_LINES = 200;

/**
 * The action's own inputs (INPUT_PASSWORD among them) stay out of every child process: the
 * password reaches `docker login` through stdin and nowhere else.
 */
export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value !== undefined && !key.startsWith('INPUT_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Grace period between SIGTERM and SIGKILL for a command that ran past its timeout. */
const KILL_GRACE_MS = 10_000;

/** Splits a stream into lines, handing each complete line (without CR/LF) to `onLine`. */
function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) onLine(part.replace(/\r$/, ''));
    },
    end() {
      if (rest !== '') onLine(rest.replace(/\r$/, ''));
      rest = '';
    },
  };
}

/** A command started ahead of its turn, waiting for its stdin (see CommandRunner.hold). */
export interface HeldCommand {
  readonly command: Command;
  /** Writes the command's input, ends stdin, and runs it to its end as `run` would. */
  run(options?: RunOptions): Promise<CommandResult>;
  /** Stops the held process, which has read nothing yet. */
  cancel(): void;
}

/**
 * Runs commands with child_process.spawn (no shell), echoing `[command]...` and streaming their
 * output to the log as the toolkit's exec does, and stopping a command that runs past its timeout
 * (which @actions/exec cannot: it gives no handle on the child process).
 */
export class ExecRunner implements CommandRunner {
  run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    return finish(command, startCommand(command), options);
  }

  hold(command: Command): HeldCommand {
    const held = startCommand(command);
    let taken = false;
    return {
      command,
      run: (options = {}) => {
        taken = true;
        return finish(command, held, options);
      },
      cancel: () => {
        if (!taken) held.child.kill('SIGKILL');
      },
    };
  }
}

type Output = (stream: 'stdout' | 'stderr', data: string) => void;

interface Spawned {
  child: ChildProcessWithoutNullStreams;
  /** Hands the output to `output`: what came before (a held process may print) first, then the rest. */
  attach: (output: Output) => void;
  /**
   * How the process started and ended, kept from the start: a held process may fail to start, or
   * end, before `finish` listens (and an 'error' without a listener would end Node).
   */
  outcome: Promise<{ error: Error } | { code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the command with its stdin open; nothing is written until `finish`. */
function startCommand(command: Command): Spawned {
  const child = spawn(command.program, command.args, {
    cwd: command.cwd,
    env: childEnvironment(process.env, command.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const outcome = new Promise<Awaited<Spawned['outcome']>>((resolve) => {
    child.once('error', (error) => {
      resolve({ error });
    });
    child.once('close', (code, signal) => {
      resolve({ code, signal });
    });
  });
  child.stdin.on('error', () => undefined);
  const early: [stream: 'stdout' | 'stderr', data: string][] = [];
  let output: Output = (stream, data) => early.push([stream, data]);
  for (const stream of ['stdout', 'stderr'] as const) {
    // Decoded per stream, so a UTF-8 character split across two chunks stays whole.
    child[stream].setEncoding('utf8');
    child[stream].on('data', (data: string) => {
      output(stream, data);
    });
  }
  const attach = (to: Output): void => {
    output = to;
    for (const [stream, data] of early.splice(0)) to(stream, data);
  };
  return { child, attach, outcome };
}

/** Streams the output to the log, writes stdin, and waits for the command's end. */
function finish(
  command: Command,
  { child, attach, outcome }: Spawned,
  options: RunOptions,
): Promise<CommandResult> {
  const silent = options.silent ?? false;
  if (!silent) process.stdout.write(`[command]${[command.program, ...command.args].join(' ')}\n`);
  const tail: string[] = [];
  const keep = (line: string): void => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine?.(line);
  };
  let stdout = '';
  const lines = { stdout: lineSplitter(keep), stderr: lineSplitter(keep) };
  attach((stream, data) => {
    if (stream === 'stdout') stdout += data;
    lines[stream].push(data);
    if (!silent) process.stdout.write(data);
  });
  // Always give stdin an end, so a command that reads it (a test runner) never waits forever.
  child.stdin.end(command.input?.text ?? command.stdin?.reveal() ?? '');

  let timedOut = false;
  const timers: NodeJS.Timeout[] = [];
  if (command.timeoutSeconds !== undefined) {
    timers.push(
      setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        timers.push(setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS));
      }, command.timeoutSeconds * 1000),
    );
  }
  return outcome.then((ended) => {
    timers.forEach(clearTimeout);
    if ('error' in ended) {
      throw new Error(`Could not run ${command.program}: ${ended.error.message}`, { cause: ended.error });
    }
    lines.stdout.end();
    lines.stderr.end();
    const { code, signal } = ended;
    const exitCode = code ?? (signal === null ? 1 : 128 + constants.signals[signal]);
    return timedOut ? { exitCode, stdout, tail, timedOut } : { exitCode, stdout, tail };
  });
}
