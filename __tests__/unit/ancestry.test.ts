import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  apiAncestry,
  commitAncestry,
  type CompareClient,
  compareStatusContains,
  gitAncestry,
  withPushEvent,
} from '../../src/context/ancestry.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

/** A fake Octokit: answers the compare call with `answer`, and records what it was asked. */
function fakeClient(answer: () => Promise<{ data: { status: string } }>) {
  const calls: { owner: string; repo: string; basehead: string }[] = [];
  const client: CompareClient = {
    rest: {
      repos: {
        compareCommitsWithBasehead: (params) => {
          calls.push({ owner: params.owner, repo: params.repo, basehead: params.basehead });
          return answer();
        },
      },
    },
  };
  return { client, calls };
}

describe('the compare API', () => {
  it.each([
    ['ahead', true],
    ['identical', true],
    ['behind', false],
    ['diverged', false],
    ['something new', undefined],
  ] as const)('status %s → contains %s', (status, contains) => {
    expect(compareStatusContains(status)).toBe(contains);
  });

  it('asks compare/{ancestor}...{descendant} of the repository', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve({ data: { status: 'ahead' } }));
    expect(await apiAncestry(client, 'acme/app')(B, A)).toEqual({
      contains: true,
      how: "GitHub's compare API: ahead",
    });
    expect(calls).toEqual([{ owner: 'acme', repo: 'app', basehead: `${A}...${B}` }]);
  });

  it('a commit that is behind is not contained', async () => {
    const { client } = fakeClient(() => Promise.resolve({ data: { status: 'behind' } }));
    expect((await apiAncestry(client, 'acme/app')(B, A)).contains).toBe(false);
  });

  it('a failing call is an answer that says why, not a throw', async () => {
    const { client } = fakeClient(() => Promise.reject(new Error('Not Found\nmore')));
    expect(await apiAncestry(client, 'acme/app')(B, A)).toEqual({
      unknown: 'the compare API failed: Not Found',
    });
  });

  it('falls back to git when the API cannot tell, and says both reasons when neither can', async () => {
    const { client } = fakeClient(() => Promise.reject(new Error('rate limited')));
    const empty = await mkdtemp(path.join(os.tmpdir(), 'no-repo-'));
    try {
      const answer = await commitAncestry({ directory: empty, token: 't', repository: 'acme/app', client })(
        B,
        A,
      );
      expect(answer.contains).toBeUndefined();
      expect('unknown' in answer ? answer.unknown : '').toMatch(
        /^the compare API failed: rate limited; git could not fetch the commits from origin: /,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('without a token it never calls the API', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve({ data: { status: 'ahead' } }));
    const empty = await mkdtemp(path.join(os.tmpdir(), 'no-repo-'));
    try {
      await commitAncestry({ directory: empty, token: undefined, repository: 'acme/app', client })(B, A);
      expect(calls).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('the push event', () => {
  const C = 'c'.repeat(40);
  const asked: [string, string][] = [];
  const ask = (descendant: string, ancestor: string) => {
    asked.push([descendant, ancestor]);
    return Promise.resolve({ unknown: 'asked' });
  };
  beforeEach(() => {
    asked.length = 0;
  });

  it('a push from A to B: B contains A, A does not contain B; nothing else is asked', async () => {
    const ancestry = withPushEvent(ask, A, B);
    const how = 'the push event: the branch moved from aaaaaaa to bbbbbbb';
    expect(await ancestry(B, A)).toEqual({ contains: true, how });
    expect(await ancestry(A, B)).toEqual({ contains: false, how });
    expect(asked).toEqual([]);
  });

  it('any other pair is asked, as is every pair without a push', async () => {
    await withPushEvent(ask, A, B)(C, B);
    await withPushEvent(ask, undefined, B)(A, B);
    expect(asked).toEqual([
      [C, B],
      [A, B],
    ]);
  });

  it('commitAncestry answers from the push event without a call to the API', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve({ data: { status: 'ahead' } }));
    const ancestry = commitAncestry({
      directory: '.',
      token: 't',
      repository: 'acme/app',
      pushedFrom: A,
      sha: B,
      client,
    });
    expect((await ancestry(A, B)).contains).toBe(false);
    expect(calls).toEqual([]);
    expect((await ancestry(C, B)).contains).toBe(true);
    expect(calls).toHaveLength(1);
  });
});

describe('git, in a shallow checkout of a real origin', () => {
  let root: string;
  let origin: string;
  const commits: string[] = [];
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args], {
      cwd,
      encoding: 'utf8',
    }).trim();

  /** A checkout of `sha` alone, as actions/checkout leaves it. */
  async function checkout(sha: string): Promise<string> {
    const dir = await mkdtemp(path.join(root, 'checkout-'));
    git(dir, 'init', '-q');
    git(dir, 'remote', 'add', 'origin', `file://${origin}`);
    git(dir, 'fetch', '-q', '--depth=1', 'origin', sha);
    git(dir, 'checkout', '-q', sha);
    return dir;
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ancestry-'));
    origin = path.join(root, 'origin.git');
    git(root, 'init', '-q', '--bare', origin);
    git(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
    const work = path.join(root, 'work');
    git(root, 'init', '-q', '-b', 'main', work);
    git(work, 'remote', 'add', 'origin', origin);
    for (const text of ['one', 'two', 'three', 'four']) {
      await writeFile(path.join(work, 'file'), text);
      git(work, 'add', 'file');
      git(work, 'commit', '-qm', text);
      commits.push(git(work, 'rev-parse', 'HEAD'));
    }
    git(work, 'push', '-q', 'origin', 'main');
    // A commit on another branch, not in main's history.
    git(work, 'checkout', '-q', '-b', 'side', commits[1] ?? '');
    await writeFile(path.join(work, 'file'), 'side');
    git(work, 'commit', '-qam', 'side');
    commits.push(git(work, 'rev-parse', 'HEAD'));
    git(work, 'push', '-q', 'origin', 'side');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const at = (index: number): string => commits[index] ?? '';

  it('a newer commit of the branch contains the one checked out (a re-run of an older commit)', async () => {
    const dir = await checkout(at(1));
    expect(await gitAncestry(dir)(at(3), at(1))).toEqual({ contains: true, how: 'git history' });
  });

  it('an older commit does not contain the one checked out (an ordinary push)', async () => {
    const dir = await checkout(at(3));
    expect(await gitAncestry(dir)(at(1), at(3))).toEqual({ contains: false, how: 'git history' });
  });

  it('two commits too far apart for the fetch depth cannot be told', async () => {
    const dir = await checkout(at(0));
    const answer = await gitAncestry(dir, 1)(at(3), at(0));
    expect(answer.contains).toBeUndefined();
  });

  it('diverged commits: neither contains the other, which it cannot tell from a shallow history', async () => {
    const dir = await checkout(at(3));
    const answer = await gitAncestry(dir)(at(4), at(3));
    expect(answer.contains).toBeUndefined();
  });

  it('an origin that lacks the commit is an answer that says why', async () => {
    const dir = await checkout(at(1));
    const answer = await gitAncestry(dir)('0'.repeat(40), at(1));
    expect('unknown' in answer ? answer.unknown : '').toMatch(/^git could not fetch the commits from origin/);
  });
});
