import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Workspace {
  dir: string;
  sha: string;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

/** An app of one file copied onto `baseImage`, with no RUN: it builds without a container network. */
export function copyOnlyApp(baseImage: string, text: string): Record<string, string> {
  return {
    Dockerfile: `FROM ${baseImage}\nCOPY hello.txt /app/hello.txt\n`,
    'hello.txt': `${text}\n`,
  };
}

/**
 * A checked-out repository as actions/checkout leaves it: on `branch`, or with a detached HEAD
 * (tags and pull requests) when `detached` is set.
 */
export function makeWorkspace(
  files: Record<string, string | Buffer>,
  branch = 'main',
  detached = false,
): Workspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpa-workspace-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  git(dir, 'init', '-q', '-b', branch);
  git(dir, 'add', '.');
  git(dir, '-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', 'commit', '-qm', 'app');
  const sha = git(dir, 'rev-parse', 'HEAD');
  if (detached) git(dir, 'checkout', '-q', '--detach');
  return { dir, sha };
}

/** A unique repository name, so tests never see each other's pushes. */
export function uniqueRepository(prefix: string): string {
  return `e2e/${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Runs docker; `input` goes to its stdin (a password for `login --password-stdin`). */
export function docker(args: string[], env: Record<string, string> = {}, input?: string): string {
  return execFileSync('docker', args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  }).trim();
}

/** Whether the local daemon has an image by that reference. */
export function localImageExists(reference: string): boolean {
  try {
    docker(['image', 'inspect', reference]);
    return true;
  } catch {
    return false;
  }
}

/** Ids of the local images of one repository. */
export function localImageIds(repository: string): string[] {
  return docker(['image', 'ls', '--quiet', '--no-trunc', repository]).split('\n').filter(Boolean).sort();
}
