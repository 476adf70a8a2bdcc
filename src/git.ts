import { simpleGit } from 'simple-git';

/** `git rev-parse --abbrev-ref HEAD`, as the article's script; undefined when git cannot tell. */
export async function currentBranch(
  directory: string,
): Promise<{ branch: string | undefined; problem?: string }> {
  try {
    const name = (await simpleGit({ baseDir: directory }).revparse(['--abbrev-ref', 'HEAD'])).trim();
    return { branch: name === '' || name === 'HEAD' ? undefined : name };
  } catch (error) {
    return {
      branch: undefined,
      problem: error instanceof Error ? error.message.split('\n')[0] : String(error),
    };
  }
}
