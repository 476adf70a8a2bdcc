import * as exec from '@actions/exec';
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

/** Runs commands through @actions/exec, streaming their output to the log. */
export class ExecRunner implements CommandRunner {
  async run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    const tail: string[] = [];
    const keep = (line: string): void => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine?.(line);
    };
    let stdout = '';
    const exitCode = await exec.exec(command.program, command.args, {
      cwd: command.cwd,
      env: childEnvironment(process.env, command.env),
      // Always give stdin an end, so a command that reads it (a test runner) never waits forever.
      input: Buffer.from(command.stdin?.reveal() ?? ''),
      ignoreReturnCode: true,
      silent: options.silent ?? false,
      listeners: {
        stdout: (data: Buffer) => (stdout += data.toString()),
        stdline: keep,
        errline: keep,
      },
    });
    return { exitCode, stdout, tail };
  }
}
