import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Secret } from './secret.js';

/** One program run with an argv array: values are never pasted into shell code. */
export interface Command {
  program: string;
  args: string[];
  cwd?: string;
  /** Variables added to the (scrubbed) environment of this command only. */
  env?: Record<string, string>;
  /** Written to the command's stdin; the only way a secret reaches a child process. */
  stdin?: Secret;
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

/**
 * Runs commands with child_process.spawn (no shell), echoing `[command]...` and streaming their
 * output to the log as the toolkit's exec does, and stopping a command that runs past its timeout
 * (which @actions/exec cannot: it gives no handle on the child process).
 */
export class ExecRunner implements CommandRunner {
  run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    const silent = options.silent ?? false;
    if (!silent) process.stdout.write(`[command]${[command.program, ...command.args].join(' ')}\n`);
    const tail: string[] = [];
    const keep = (line: string): void => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine?.(line);
    };
    let stdout = '';
    const child = spawn(command.program, command.args, {
      cwd: command.cwd,
      env: childEnvironment(process.env, command.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const outLines = lineSplitter(keep);
    const errLines = lineSplitter(keep);
    // Decoded per stream, so a UTF-8 character split across two chunks stays whole.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (data: string) => {
      stdout += data;
      outLines.push(data);
      if (!silent) process.stdout.write(data);
    });
    child.stderr.on('data', (data: string) => {
      errLines.push(data);
      if (!silent) process.stdout.write(data);
    });
    // Always give stdin an end, so a command that reads it (a test runner) never waits forever.
    child.stdin.on('error', () => undefined);
    child.stdin.end(command.stdin?.reveal() ?? '');

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
    return new Promise((resolve, reject) => {
      child.on('error', (error) => {
        timers.forEach(clearTimeout);
        reject(new Error(`Could not run ${command.program}: ${error.message}`, { cause: error }));
      });
      child.on('close', (code, signal) => {
        timers.forEach(clearTimeout);
        outLines.end();
        errLines.end();
        const exitCode = code ?? (signal === null ? 1 : 128 + constants.signals[signal]);
        resolve(timedOut ? { exitCode, stdout, tail, timedOut } : { exitCode, stdout, tail });
      });
    });
  }
}
