import { mkdtemp, rm } from 'node:fs/promises';
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
    expect(await readHead(dir)).toEqual({ branch: 'feature/Login-Page', commitTime: committed });
  });

  it('names no branch on a detached HEAD, as actions/checkout leaves for tags', async () => {
    git('tag', 'v1.2.3');
    git('checkout', '--quiet', '--detach', 'v1.2.3');
    expect(await readHead(dir)).toEqual({ branch: undefined, commitTime: committed });
  });

  it('is not confused by a tag named like the branch, or by log settings', async () => {
    git('tag', 'main');
    git('config', 'log.decorate', 'full');
    git('config', 'format.pretty', 'oneline');
    expect(await readHead(dir)).toEqual({ branch: 'main', commitTime: committed });
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
});
