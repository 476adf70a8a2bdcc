import { jest } from '@jest/globals';
import { judgeBranch, judgeMove, judgeRelease } from '../../src/execute/moving-tags.js';
import type { CommitAncestry } from '../../src/context/ancestry.js';

const REF = 'build-test-push-action.source-ref';
const VERSION = 'org.opencontainers.image.version';
const REVISION = 'org.opencontainers.image.revision';
const TAG = 'ghcr.io/acme/app:latest';
const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);

const release = (version: string, ref = `refs/tags/v${version}`) => ({ [VERSION]: version, [REF]: ref });

describe('judgeRelease: a release moving tag moves forward, never back', () => {
  it.each([
    ['1.0.0', '1.1.0', 'move'],
    ['1.1.0', '1.0.1', 'keep'],
    ['1.9.0', '1.10.0', 'move'], // numbers, not text
    ['2.0.0-rc.1', '2.0.0', 'move'],
    ['2.0.0', '2.0.0-rc.1', 'keep'],
    ['v1.0.0', '1.1.0', 'move'], // an image labelled before the label dropped the v
    ['1.2.3', '1.2.3', undefined], // the same version from another ref: the collision rules
    ['main', '1.0.0', undefined], // no version: the collision rules
  ] as const)('holding %s, this release %s → %s', (theirs, ours, action) => {
    expect(judgeRelease(TAG, release(theirs, 'refs/tags/other'), release(ours))?.action).toBe(action);
  });

  it('the same ref again (a re-run of the release) is left to the collision rules', () => {
    expect(
      judgeRelease(TAG, release('1.0.0', 'refs/tags/x'), release('1.1.0', 'refs/tags/x')),
    ).toBeUndefined();
  });

  it('the notice says which version stays and why', () => {
    expect(judgeRelease(TAG, release('1.1.0'), release('1.0.1'))).toEqual({
      action: 'keep',
      notice:
        "ghcr.io/acme/app:latest stays at version 1.1.0: it is newer than this release (1.0.1), and a moving tag never goes back to an older version. This run's other tags are pushed.",
    });
  });
});

describe('judgeBranch: a branch tag never moves back to an older commit', () => {
  const main = (sha: string) => ({ [REVISION]: sha, [REF]: 'refs/heads/main' });
  const answering =
    (answer: Awaited<ReturnType<CommitAncestry>>): CommitAncestry =>
    () =>
      Promise.resolve(answer);

  it('stays when the commit it holds already contains this run', async () => {
    const asked: string[][] = [];
    const ancestry: CommitAncestry = (descendant, ancestor) => {
      asked.push([descendant, ancestor]);
      return Promise.resolve({ contains: true, how: 'git history' });
    };
    const { verdict } = await judgeBranch(TAG, main(NEW), main(OLD), ancestry);
    expect(verdict?.action).toBe('keep');
    expect(asked).toEqual([[NEW, OLD]]);
  });

  it('moves when it does not (an ordinary push)', async () => {
    expect(
      (await judgeBranch(TAG, main(OLD), main(NEW), answering({ contains: false, how: 'git history' })))
        .verdict,
    ).toBeUndefined();
  });

  it('moves as before, and says so, when the history cannot tell', async () => {
    const result = await judgeBranch(TAG, main(OLD), main(NEW), answering({ unknown: 'no origin' }));
    expect(result.verdict).toBeUndefined();
    expect(result.note).toContain('Could not tell whether aaaaaaa');
    expect(result.note).toContain('(no origin); pushing over it as before.');
  });

  it.each([
    ['the same commit', main(NEW), main(NEW)],
    ['another ref', { [REVISION]: NEW, [REF]: 'refs/heads/dev' }, main(OLD)],
    ['no source ref', { [REVISION]: NEW }, main(OLD)],
    ['no revision', { [REF]: 'refs/heads/main' }, main(OLD)],
  ])('asks nothing for %s', async (_label, theirs, ours) => {
    const ancestry = jest.fn<CommitAncestry>();
    expect((await judgeBranch(TAG, theirs, ours, ancestry)).verdict).toBeUndefined();
    expect(ancestry).not.toHaveBeenCalled();
  });
});

describe('judgeMove', () => {
  const ancestry: CommitAncestry = () => Promise.resolve({ contains: true, how: 'git history' });
  const held = { digest: 'sha256:1', labels: { [REVISION]: NEW, [REF]: 'refs/heads/main' } };
  const ours = { [REVISION]: OLD, [REF]: 'refs/heads/main' };

  it('an exact tag, a missing tag, or unreadable labels: the collision rules', async () => {
    expect((await judgeMove(TAG, undefined, held, ours, ancestry)).verdict).toBeUndefined();
    expect((await judgeMove(TAG, 'branch', undefined, ours, ancestry)).verdict).toBeUndefined();
    expect(
      (await judgeMove(TAG, 'branch', { digest: 'x', labels: undefined }, ours, ancestry)).verdict,
    ).toBeUndefined();
  });

  it('a branch tag asks the history; a release tag compares versions', async () => {
    expect((await judgeMove(TAG, 'branch', held, ours, ancestry)).verdict?.action).toBe('keep');
    const newer = { digest: 'x', labels: release('2.0.0') };
    expect((await judgeMove(TAG, 'release', newer, release('1.0.0'), ancestry)).verdict?.action).toBe('keep');
  });
});
