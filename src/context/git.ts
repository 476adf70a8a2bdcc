import { type CommandRunner, ExecRunner } from '../execute/command-runner.js';

/** What git says about the checked-out commit. */
export interface Head {
  /** The checked-out branch; undefined when HEAD is detached or git cannot tell. */
  branch: string | undefined;
  /** Committer date of HEAD, ISO 8601 (`%cI`); undefined when git cannot tell. */
  commitTime: string | undefined;
  /** Why git could not answer, for the debug log. */
  problem?: string;
}

/**
 * Reads `git rev-parse --abbrev-ref HEAD` (the article's command): `HEAD` means detached. When a tag
 * shares the branch's name git disambiguates as `heads/<branch>`; that prefix is not part of the name.
 */
export function parseAbbrevRef(stdout: string): string | undefined {
  const name = stdout.trim();
  if (name === '' || name === 'HEAD') return undefined;
  return name.startsWith('heads/') ? name.slice('heads/'.length) : name;
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}

/** git's stdout; rejects with git's own first line of complaint when it fails. */
async function git(runner: CommandRunner, directory: string, args: string[]): Promise<string> {
  const result = await runner.run({ program: 'git', args, cwd: directory }, { silent: true });
  if (result.exitCode !== 0) {
    const complaint = result.tail.find((line) => line.trim() !== '');
    throw new Error(complaint ?? `git ${args[0] ?? ''} exited with code ${result.exitCode}`);
  }
  return result.stdout;
}

/** The branch and the commit time: two small git calls, run side by side. */
export async function readHead(directory: string, runner: CommandRunner = new ExecRunner()): Promise<Head> {
  try {
    const [abbrevRef, time] = await Promise.all([
      git(runner, directory, ['rev-parse', '--abbrev-ref', 'HEAD']),
      git(runner, directory, ['log', '-1', '--no-show-signature', '--format=%cI', 'HEAD', '--']),
    ]);
    return { branch: parseAbbrevRef(abbrevRef), commitTime: time.trim() || undefined };
  } catch (error) {
    return { branch: undefined, commitTime: undefined, problem: firstLine(error) };
  }
}
