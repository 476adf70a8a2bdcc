import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseAbbrevRef, readHead } from '../../src/context/git.js';

describe('parseAbbrevRef', () => {
  it.each([
    ['main\n', 'main'],
    ['feature/Login-Page\n', 'feature/Login-Page'],
    ['heads/main\n', 'main'],
    ['HEAD\n', undefined],
    ['\n', undefined],
  ])('%j → branch %j', (stdout, branch) => {
    expect(parseAbbrevRef(stdout)).toBe(branch);
  });
});

describe('readHead in a real repository', () => {
  let dir: string;
  const committed = '2026-11-27T16:20:31+01:00';
  /** The commit HEAD is at, as git itself says. */
  const headSha = (): string =>
    execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
  const git = (...args: string[]): void => {
    // The committer date is what `.created` must carry, whenever the build runs.
    execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_COMMITTER_DATE: committed } });
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'read-head-'));
    git('init', '--quiet', '--initial-branch=main');
    git('config', 'user.name', 'Test');
    git('config', 'user.email', 'test@example.com');
    git('commit', '--quiet', '--allow-empty', '-m', 'one');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the checked-out branch and the committer date', async () => {
    git('checkout', '--quiet', '-b', 'feature/Login-Page');
    expect(await readHead(dir)).toEqual({
      branch: 'feature/Login-Page',
      commitTime: committed,
      sha: headSha(),
    });
  });

  it('names no branch on a detached HEAD, as actions/checkout leaves for tags', async () => {
    git('tag', 'v1.2.3');
    git('checkout', '--quiet', '--detach', 'v1.2.3');
    expect(await readHead(dir)).toEqual({ branch: undefined, commitTime: committed, sha: headSha() });
  });

  it('is not confused by a tag named like the branch, or by log settings', async () => {
    git('tag', 'main');
    git('config', 'log.decorate', 'full');
    git('config', 'format.pretty', 'oneline');
    expect(await readHead(dir)).toEqual({ branch: 'main', commitTime: committed, sha: headSha() });
  });

  it('explains why when the folder is no repository', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'no-repo-'));
    try {
      const head = await readHead(empty);
      expect(head.branch).toBeUndefined();
      expect(head.commitTime).toBeUndefined();
      expect(head.problem).toMatch(/not a git repository/i);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('explains why when the folder does not exist, without failing', async () => {
    const head = await readHead(path.join(dir, 'gone'));
    expect(head).toMatchObject({ branch: undefined, commitTime: undefined });
    expect(head.problem).toMatch(/\S/);
  });

  /** An executable `git` in `folder` that notes its environment in `note`, then runs the real git. */
  async function spyGit(folder: string, note: string): Promise<void> {
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    await writeFile(path.join(folder, 'git'), `#!/bin/sh\nenv >>'${note}'\nexec '${real}' "$@"\n`);
    await chmod(path.join(folder, 'git'), 0o755);
  }

  /** Runs `body` with `changes` in the process's own environment, as the action would have them. */
  async function withEnv<T>(changes: Record<string, string>, body: () => Promise<T>): Promise<T> {
    const saved = process.env;
    process.env = { ...saved, ...changes };
    try {
      return await body();
    } finally {
      process.env = saved;
    }
  }

  it('gives git the filtered child environment: no input, no runner token', async () => {
    const bin = await mkdtemp(path.join(os.tmpdir(), 'spy-git-'));
    const note = path.join(bin, 'env.txt');
    await spyGit(bin, note);
    const env = {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      INPUT_PASSWORD: 'input-password-secret',
      ACTIONS_RUNTIME_TOKEN: 'runtime-token-secret',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-secret',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'safe.directory',
      GIT_CONFIG_VALUE_0: '*',
      EDITOR: 'vi',
    };
    try {
      const head = await withEnv(env, () => readHead(dir));
      expect(head).toEqual({ branch: 'main', commitTime: committed, sha: headSha() });
      const seen = readFileSync(note, 'utf8');
      expect(seen).not.toMatch(/input-password-secret|runtime-token-secret|oidc-request-secret/);
      expect(seen).toContain('GIT_CONFIG_COUNT=1'); // the job's own git settings still reach git
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });

  it.each([
    ['an empty entry', (rest: string) => `:${rest}`],
    ['a `.` entry', (rest: string) => `.:${rest}`],
    ['a relative entry', (rest: string) => `./:${rest}`],
  ])('never runs a `git` of the working directory through %s in PATH', async (_name, pathOf) => {
    const note = path.join(dir, 'ran.txt');
    await spyGit(dir, note);
    const head = await withEnv({ PATH: pathOf(process.env.PATH ?? '') }, () => readHead(dir));
    expect(head).toMatchObject({ branch: 'main', commitTime: committed });
    expect(existsSync(note)).toBe(false);
  });
});
