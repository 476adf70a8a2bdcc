import { type SimpleGit, simpleGit } from 'simple-git';

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
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}

/**
 * simple-git in `directory`. A git command is done when its output streams close; by default
 * simple-git also arms a 50 ms timer at the process's exit, which can only delay the answer here
 * (git holds no stream open after it exits), so it is switched off.
 */
export function gitIn(directory: string): SimpleGit {
  return simpleGit({ baseDir: directory, completion: { onClose: true, onExit: false } });
}

/** The branch and the commit time: two small git reads, run side by side. */
export async function readHead(directory: string): Promise<Head> {
  try {
    const git = gitIn(directory);
    const [abbrevRef, time] = await Promise.all([
      git.revparse(['--abbrev-ref', 'HEAD']),
      git.raw(['log', '-1', '--no-show-signature', '--format=%cI', 'HEAD', '--']),
    ]);
    return { branch: parseAbbrevRef(abbrevRef), commitTime: time.trim() || undefined };
  } catch (error) {
    return { branch: undefined, commitTime: undefined, problem: firstLine(error) };
  }
}
