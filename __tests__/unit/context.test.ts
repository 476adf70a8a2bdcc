import type { GithubContextLike } from '../../src/context/payload.js';
import { toRefContext } from '../../src/context/ref-context.js';
import { SHA } from './helpers.js';

function github(overrides: Partial<GithubContextLike> = {}): GithubContextLike {
  return {
    eventName: 'push',
    ref: 'refs/heads/main',
    sha: SHA,
    serverUrl: 'https://github.com',
    runNumber: 42,
    repository: 'acme/app',
    payload: { repository: { full_name: 'acme/app', default_branch: 'main' } },
    ...overrides,
  };
}

const prPayload = (head: string, base = 'acme/app') => ({
  number: 12,
  pull_request: {
    number: 12,
    head: { ref: 'feature/x', repo: { full_name: head } },
    base: { ref: 'main', repo: { full_name: base } },
  },
  repository: { full_name: 'acme/app', default_branch: 'trunk' },
});

const head = (branch: string | undefined, commitTime?: string) => ({ branch, commitTime });

describe('toRefContext', () => {
  it('a push', () => {
    expect(toRefContext(github(), head('main', '2026-11-27T16:20:31+01:00'))).toEqual({
      eventName: 'push',
      ref: 'refs/heads/main',
      sha: SHA,
      commitTime: '2026-11-27T16:20:31+01:00',
      gitBranch: 'main',
      pullRequest: undefined,
      repository: 'acme/app',
      repositoryUrl: 'https://github.com/acme/app',
      defaultBranch: 'main',
      runNumber: 42,
      repositoryMetadata: { description: undefined, license: undefined },
    });
  });

  it.each([
    [
      'same repository',
      'pull_request',
      prPayload('acme/app'),
      { number: 12, headRef: 'feature/x', baseRef: 'main', fromFork: false },
    ],
    [
      'fork',
      'pull_request',
      prPayload('forker/app'),
      { number: 12, headRef: 'feature/x', baseRef: 'main', fromFork: true },
    ],
    [
      'target event, fork',
      'pull_request_target',
      prPayload('forker/app'),
      { number: 12, headRef: 'feature/x', baseRef: 'main', fromFork: true },
    ],
    [
      'review event',
      'pull_request_review',
      prPayload('acme/app'),
      { number: 12, headRef: 'feature/x', baseRef: 'main', fromFork: false },
    ],
    [
      'number only at the top: head unknown, counted as a fork',
      'pull_request',
      { number: 5 },
      { number: 5, headRef: '', baseRef: '', fromFork: true },
    ],
    [
      'no head repo (deleted fork): counted as a fork',
      'pull_request',
      { pull_request: { number: 9, head: { ref: 'x', repo: null } } },
      { number: 9, headRef: 'x', baseRef: '', fromFork: true },
    ],
    [
      'base repo missing: GITHUB_REPOSITORY compared',
      'pull_request',
      { pull_request: { number: 9, head: { ref: 'x', repo: { full_name: 'forker/app' } } } },
      { number: 9, headRef: 'x', baseRef: '', fromFork: true },
    ],
    ['no number', 'pull_request', { pull_request: { head: { ref: 'x' } } }, undefined],
    ['number as a string', 'pull_request', { number: '12' }, undefined],
    ['fractional number', 'pull_request', { number: 1.5 }, undefined],
    ['not a PR event', 'push', prPayload('acme/app'), undefined],
  ] as const)('pull request: %s', (_label, eventName, payload, expected) => {
    expect(toRefContext(github({ eventName, payload }), head(undefined)).pullRequest).toEqual(expected);
  });

  const BEFORE = '1'.repeat(40);
  it.each([
    ['an ordinary push', 'push', { before: BEFORE, after: SHA }, BEFORE],
    ['a forced push', 'push', { before: BEFORE, after: SHA, forced: true }, undefined],
    ['a push that created the branch', 'push', { before: '0'.repeat(40), after: SHA }, undefined],
    ['a push of another commit', 'push', { before: BEFORE, after: '2'.repeat(40) }, undefined],
    ['no before', 'push', { after: SHA }, undefined],
    ['another event', 'workflow_dispatch', { before: BEFORE, after: SHA }, undefined],
  ] as const)('the commit the push moved the branch from: %s', (_label, eventName, payload, expected) => {
    expect(toRefContext(github({ eventName, payload }), head('main')).pushedFrom).toBe(expected);
  });

  it('reads the default branch from the payload', () => {
    expect(toRefContext(github({ payload: prPayload('acme/app') }), head('main')).defaultBranch).toBe(
      'trunk',
    );
    expect(toRefContext(github({ payload: {} }), head('main')).defaultBranch).toBeUndefined();
    expect(
      toRefContext(github({ payload: { repository: { default_branch: '' } } }), head('main')).defaultBranch,
    ).toBeUndefined();
  });

  it.each([
    [
      'GITHUB_REPOSITORY + serverUrl',
      { serverUrl: 'https://github.com' },
      'acme/app',
      'https://github.com/acme/app',
    ],
    [
      'trailing slash in serverUrl',
      { serverUrl: 'https://ghe.example.com//' },
      'acme/app',
      'https://ghe.example.com/acme/app',
    ],
    ['serverUrl missing: github.com', { serverUrl: undefined }, 'acme/app', 'https://github.com/acme/app'],
    [
      'repository from the payload',
      { repository: undefined, payload: { repository: { full_name: 'o/r' } } },
      'o/r',
      'https://github.com/o/r',
    ],
    ['no repository at all', { repository: undefined, payload: {} }, undefined, undefined],
  ] as const)('repository URL: %s', (_label, overrides, repository, url) => {
    const context = toRefContext(github(overrides), head('main'));
    expect(context.repository).toBe(repository);
    expect(context.repositoryUrl).toBe(url);
  });

  it.each([
    [42, 42],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [undefined, undefined],
  ])('runNumber %p → %p', (runNumber, expected) => {
    expect(toRefContext(github({ runNumber }), head('main')).runNumber).toBe(expected);
  });

  it.each([
    ['main', 'main'],
    ['feature/x', 'feature/x'],
    ['HEAD', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('gitBranch %p → %p', (gitBranch, expected) => {
    expect(toRefContext(github(), head(gitBranch)).gitBranch).toBe(expected);
  });

  it('missing runner fields become empty strings', () => {
    const context = toRefContext(
      github({ eventName: undefined, ref: undefined, sha: undefined }),
      head(undefined),
    );
    expect([context.eventName, context.ref, context.sha]).toEqual(['', '', '']);
  });
});
