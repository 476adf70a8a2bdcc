import { exec } from '@actions/exec';
import { StringDecoder } from 'node:string_decoder';
import type { Secret } from '../shared/secret.js';
import type { Command, CommandResult, CommandRunner, RunOptions } from '../shared/command.js';
import { childEnvironment, findProgram, usesRunnerCache } from '../context/child-env.js';
import { TEST_SESSION_VARIABLE } from './test-session.js';

const TAIL_LINES = 200;

/**
 * A deadline is kept by coreutils `timeout`, which @actions/exec runs like any program (it gives
 * no handle on the child to stop it): SIGTERM at the deadline, SIGKILL this long after.
 */
const KILL_AFTER = '10s';
/** `timeout`'s exit status when it stopped the command: 124 after SIGTERM, 128 + 9 after SIGKILL. */
export const TIMED_OUT_EXIT_CODES: readonly number[] = [124, 137];

/** The values of `secretEnv`, for the one process that gets them. */
function revealed(secrets: Record<string, Secret> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets).map(([key, secret]) => [key, secret.reveal()]));
}

/** A program's name as it is looked up: the file it is, found in absolute PATH entries only. */
export type FindProgram = (program: string) => string;

const asNamed: FindProgram = (program) => program;

/** The argv that runs: the command itself, or the command under `timeout` when it has a deadline. */
export function deadlineArgv(
  command: Command,
  find: FindProgram = asNamed,
): [program: string, args: string[]] {
  const [program, args] = sessionArgv(command, find);
  if (command.timeoutSeconds === undefined) return [program, args];
  const seconds = `${command.timeoutSeconds}s`;
  return [find('timeout'), [`--kill-after=${KILL_AFTER}`, seconds, program, ...args]];
}

/**
 * A command with a `sessionFile` runs under util-linux `setsid`, in a session of its own, and writes
 * that session's id (the pid of the shell that setsid made the session's leader) to the file first.
 */
function sessionArgv(command: Command, find: FindProgram): [program: string, args: string[]] {
  const program = find(command.program);
  if (command.sessionFile === undefined) return [program, command.args];
  const script = 'echo "$$" >"$0" && exec "$@"';
  return [
    find('setsid'),
    ['--wait', find('sh'), '-c', script, command.sessionFile, program, ...command.args],
  ];
}

/**
 * A command without stdin reads /dev/null, so one that reads stdin (a test runner) sees its end at
 * once. Not an empty `input`: @actions/exec writes it after the process has started, and a process
 * that is already gone makes that write fail with EPIPE, on a stream with no error listener, which
 * ends the action. The values stay arguments of `exec "$@"`, never shell code. Every program in
 * the argv is named by its file (`find`), so no shell searches PATH for it again.
 */
export function spawnArgv(command: Command, find: FindProgram = asNamed): [program: string, args: string[]] {
  const [program, args] = deadlineArgv(command, find);
  if (command.stdin !== undefined) return [program, args];
  return [find('sh'), ['-c', 'exec "$@" </dev/null', 'sh', program, ...args]];
}

/** Finds a program in the absolute entries of the action's PATH, or throws an error naming it. */
function programFile(program: string): string {
  const file = findProgram(program, process.env.PATH);
  if (file === undefined) throw new Error(`${program} was not found in any absolute PATH entry`);
  return file;
}

/** Splits decoded text into lines, handing each complete line (without CR/LF) to `onLine`. */
function lineSplitter(onLine: (line: string) => void): { push(text: string): void; end(): void } {
  let rest = '';
  return {
    push(text) {
      const parts = (rest + text).split('\n');
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
 * Runs commands through @actions/exec (no shell). Its `input` is written right after the process
 * starts, which a command that reads stdin at all (docker login) has not closed yet; a command
 * without stdin reads /dev/null (spawnArgv). It runs silent, and this runner logs instead:
 * `[command]…` as the toolkit prints it, then the output decoded per stream (so a UTF-8 character
 * split across two chunks stays whole, which the toolkit's line listeners do not), with the
 * command's stdin secret replaced by `***` wherever the command echoes it.
 */
export class ExecRunner implements CommandRunner {
  async run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    const silent = options.silent ?? false;
    const secret = command.stdin;
    const secrets = [...(secret === undefined ? [] : [secret]), ...Object.values(command.secretEnv ?? {})];
    const redact = (text: string): string => secrets.reduce((shown, value) => value.redact(shown), text);
    if (!silent) process.stdout.write(`[command]${[command.program, ...command.args].join(' ')}\n`);
    const tail: string[] = [];
    let stdout = '';
    const keep = (line: string): void => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine?.(line);
    };
    const streams = {
      stdout: { decoder: new StringDecoder('utf8'), lines: lineSplitter(keep) },
      stderr: { decoder: new StringDecoder('utf8'), lines: lineSplitter(keep) },
    };
    const output = (name: 'stdout' | 'stderr', text: string): void => {
      const shown = redact(text);
      if (name === 'stdout') stdout += shown;
      streams[name].lines.push(shown);
      if (!silent && shown !== '') process.stdout.write(shown);
    };
    let exitCode: number;
    try {
      // Every program by its file in an absolute PATH entry: an empty or relative entry would run
      // a file of the working directory (the checked-out workspace), and under `sh -c exec` a
      // missing program would only be an exit status.
      const [program, args] = spawnArgv(command, programFile);
      const session: Record<string, string> =
        command.sessionFile === undefined ? {} : { [TEST_SESSION_VARIABLE]: command.sessionFile };
      const code: unknown = await exec(program, args, {
        cwd: command.cwd,
        env: childEnvironment(
          process.env,
          { ...command.env, ...session, ...revealed(command.secretEnv) },
          { runnerCache: usesRunnerCache(command.args) },
        ),
        silent: true,
        ignoreReturnCode: true,
        ...(command.stdin === undefined ? {} : { input: Buffer.from(command.stdin.reveal()) }),
        listeners: {
          stdout: (data) => {
            output('stdout', streams.stdout.decoder.write(data));
          },
          stderr: (data) => {
            output('stderr', streams.stderr.decoder.write(data));
          },
        },
      });
      // null: the process was ended by a signal, and @actions/exec does not say which.
      exitCode = typeof code === 'number' ? code : 1;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`Could not run ${command.program}: ${why}`, { cause: error });
    }
    for (const name of ['stdout', 'stderr'] as const) {
      output(name, streams[name].decoder.end());
      streams[name].lines.end();
    }
    const timedOut = command.timeoutSeconds !== undefined && TIMED_OUT_EXIT_CODES.includes(exitCode);
    return timedOut ? { exitCode, stdout, tail, timedOut } : { exitCode, stdout, tail };
  }
}
