// The commands a plan is made of, and the interface of what runs them (execute/command-runner.ts).
import type { Secret } from './secret.js';

/** One program run with an argv array: values are never pasted into shell code. */
export interface Command {
  program: string;
  args: string[];
  cwd?: string;
  /** Variables added to the (scrubbed) environment of this command only. */
  env?: Record<string, string>;
  /** Written to the command's stdin; with `secretEnv`, the only ways a secret reaches a child process. */
  stdin?: Secret;
  /** Secret variables for this command's environment alone (build secrets for buildx); never logged. */
  secretEnv?: Record<string, Secret>;
  /**
   * Stop the command after this long. `docker push` waits forever on a registry that accepted the
   * connection and never answers; ending the CLI makes the daemon cancel that push.
   */
  timeoutSeconds?: number;
  /**
   * Run in a session of its own (the test command), whose id is written to this file; the command
   * and everything it starts carry this path in their environment, so that what it leaves running
   * can be found and ended (execute/test-session.ts).
   */
  sessionFile?: string;
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
