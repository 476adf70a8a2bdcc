import { simpleGit } from 'simple-git';

/** What git says about the checked-out commit. */
export interface Head {
  /** The checked-out branch; undefined when HEAD is detached or git cannot tell. */
  branch: string | undefined;
  /** Committer date of HEAD, ISO 8601 (`%cI`); undefined when git cannot tell. */
  commitTime: string | undefined;
  /** Why git could not answer, for the debug log. */
  problem?: string;
}

// One call answers both questions. Only HEAD and local branches are decorated, and a symbolic
// (attached) HEAD shows as `HEAD -> <branch>`; ref names cannot hold spaces, so ", " splits safely.
const LOG_ARGS = [
  'log',
  '-1',
  '--no-show-signature',
  '--no-color',
  '--decorate=short',
  '--decorate-refs=HEAD',
  '--decorate-refs=refs/heads/',
  '--format=%cI%n%D',
  'HEAD',
  '--',
];

/** Reads the output of LOG_ARGS. */
export function parseHead(stdout: string): Omit<Head, 'problem'> {
  const [time = '', decorations = ''] = stdout.trim().split('\n');
  const attached = decorations
    .split(', ')
    .find((name) => name.startsWith('HEAD -> '))
    ?.slice('HEAD -> '.length);
  return { branch: attached || undefined, commitTime: time.trim() || undefined };
}

/** The branch (as `git rev-parse --abbrev-ref HEAD` would name it) and the commit time, in one git call. */
export async function readHead(directory: string): Promise<Head> {
  try {
    return parseHead(await simpleGit({ baseDir: directory }).raw(LOG_ARGS));
  } catch (error) {
    return {
      branch: undefined,
      commitTime: undefined,
      problem: error instanceof Error ? error.message.split('\n')[0] : String(error),
    };
  }
}
