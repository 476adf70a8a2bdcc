import * as path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { gitIn } from './git.js';

/** What changed between the commit a cache image was built from and HEAD. */
export interface ChangedFiles {
  /** The cache image's commit (its revision label). */
  since: string;
  /** Paths relative to the build context, `/`-separated (none outside it); undefined when git could not tell. */
  files: string[] | undefined;
}

/**
 * `git diff --name-only <since> HEAD`: a diff of two trees, so the history between them is not
 * needed. On a shallow checkout (actions/checkout's default depth 1) the old commit is fetched alone
 * first. Paths are made relative to the build context `context` (absolute), as COPY sources are.
 */
export async function changedFiles(
  directory: string,
  since: string,
  context: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChangedFiles> {
  try {
    return await diff(gitIn(directory, env), since, context);
  } catch {
    return { since, files: undefined };
  }
}

async function diff(git: SimpleGit, since: string, context: string): Promise<ChangedFiles> {
  const top = (await git.revparse(['--show-toplevel'])).trim();
  const inside = path.relative(top, context).split(path.sep).join('/');
  const present = await git
    .raw(['cat-file', '-e', `${since}^{commit}`])
    .then(() => true)
    .catch(() => false);
  if (!present) await git.raw(['fetch', '--quiet', '--no-tags', '--depth=1', 'origin', since]);
  const names = await git.raw(['diff', '--name-only', '--no-renames', since, 'HEAD', '--']);
  const files = names
    .split('\n')
    .filter((line) => line !== '')
    .flatMap((file) => {
      if (inside === '') return [file];
      return file.startsWith(`${inside}/`) ? [file.slice(inside.length + 1)] : [];
    });
  return { since, files };
}
