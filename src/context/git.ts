import { type SimpleGit, simpleGit } from 'simple-git';
import { childEnvironment, findProgram } from './child-env.js';

/** What git says about the checked-out commit. */
export interface Head {
  /** The checked-out branch; undefined when HEAD is detached or git cannot tell. */
  branch: string | undefined;
  /** Committer date of HEAD, ISO 8601 (`%cI`); undefined when git cannot tell. */
  commitTime: string | undefined;
  /** The checked-out commit (`git rev-parse HEAD`); undefined when git cannot tell. */
  sha?: string | undefined;
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
 * (git holds no stream open after it exits), so it is switched off. git is the file found in an
 * absolute PATH entry, and gets the one filtered child environment (no INPUT_*, no runner tokens).
 * That environment is the job's own, so simple-git's guard against variables that make git run
 * other programs (it is meant for values from untrusted callers) is told to let each of them through.
 */
export function gitIn(directory: string, env: NodeJS.ProcessEnv): SimpleGit {
  const binary = findProgram('git', env.PATH);
  if (binary === undefined) throw new Error('git was not found in any absolute PATH entry');
  const childEnv = childEnvironment(env);
  return simpleGit({
    baseDir: directory,
    binary,
    completion: { onClose: true, onExit: false },
    allowEnvironment: Object.keys(childEnv),
    allowConfig: ['*'],
    unsafe: { allowUnsafeConfigEnvCount: true, allowUnsafeCustomBinary: true },
  }).env(childEnv);
}

/** The branch, the commit and its time: small git reads, run side by side. */
export async function readHead(directory: string, env: NodeJS.ProcessEnv = process.env): Promise<Head> {
  try {
    const git = gitIn(directory, env);
    const [abbrevRef, sha, time] = await Promise.all([
      git.revparse(['--abbrev-ref', 'HEAD']),
      git.revparse(['HEAD']),
      git.raw(['log', '-1', '--no-show-signature', '--format=%cI', 'HEAD', '--']),
    ]);
    return {
      branch: parseAbbrevRef(abbrevRef),
      commitTime: time.trim() || undefined,
      sha: sha.trim() || undefined,
    };
  } catch (error) {
    return { branch: undefined, commitTime: undefined, problem: firstLine(error) };
  }
}
