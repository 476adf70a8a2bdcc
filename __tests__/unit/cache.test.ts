import fc from 'fast-check';
import { cacheReferences, registryCacheImages, stageCacheReferences } from '../../src/plan/cache-images.js';
import { TAG_PATTERN } from '../../src/shared/image-reference.js';
import { refContext, settings } from './helpers.js';

const IMAGE = 'ghcr.io/acme/app';
const pr = { number: 12, headRef: 'feature/x', baseRef: 'main', fromFork: false };

describe('cacheReferences', () => {
  it.each([
    ['a push to the default branch: its own tag only', {}, ['main']],
    [
      'a push to a branch: its tag, then the default branch',
      { ref: 'refs/heads/feature/Login', gitBranch: 'feature/Login' },
      ['feature-Login', 'main'],
    ],
    [
      'a pull request: pr-<n>, then the default branch',
      { eventName: 'pull_request', ref: 'refs/pull/12/merge', gitBranch: undefined, pullRequest: pr },
      ['pr-12', 'main'],
    ],
    [
      'a tag push: the tag, then the default branch',
      { ref: 'refs/tags/v1.2.0', gitBranch: undefined },
      ['v1.2.0', 'main'],
    ],
    [
      'no default branch in the payload: the ref only',
      { ref: 'refs/heads/dev', gitBranch: 'dev', defaultBranch: undefined },
      ['dev'],
    ],
    [
      'nothing names the ref: the default branch only',
      { eventName: 'schedule', ref: '', gitBranch: undefined },
      ['main'],
    ],
    [
      'the default branch is sanitised like a tag',
      { ref: 'refs/heads/x', gitBranch: 'x', defaultBranch: 'release/2.x' },
      ['x', 'release-2.x'],
    ],
    [
      'a branch that sanitises to the default branch is listed once',
      { ref: 'refs/heads/main', gitBranch: 'main', defaultBranch: 'main' },
      ['main'],
    ],
    [
      'a name with no valid tag character gives no cache image',
      { ref: 'refs/heads/x', gitBranch: 'x', defaultBranch: '###' },
      ['x'],
    ],
  ])('%s', (_label, overrides, tags) => {
    expect(cacheReferences(IMAGE, refContext(overrides))).toEqual(tags.map((tag) => `${IMAGE}:${tag}`));
  });

  it('any branch names: at most two distinct references under the image, each a valid tag', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.option(fc.string({ minLength: 1 })), (branch, main) => {
        const references = cacheReferences(
          IMAGE,
          refContext({ ref: `refs/heads/${branch}`, gitBranch: branch, defaultBranch: main ?? undefined }),
        );
        expect(references.length).toBeLessThanOrEqual(2);
        expect(new Set(references).size).toBe(references.length);
        for (const reference of references) {
          expect(reference.startsWith(`${IMAGE}:`)).toBe(true);
          expect(reference.slice(IMAGE.length + 1)).toMatch(TAG_PATTERN);
        }
      }),
    );
  });
});

describe('stageCacheReferences', () => {
  it.each([
    [
      'a branch: its cache, then the default branch',
      { ref: 'refs/heads/feature/x', gitBranch: 'feature/x' },
      ['buildcache-feature-x', 'buildcache-main'],
    ],
    ['the default branch: its own only', {}, ['buildcache-main']],
    [
      'nothing names the ref: the default branch',
      { eventName: 'schedule', ref: '', gitBranch: undefined },
      ['buildcache-main'],
    ],
  ])('%s', (_label, overrides, tags) => {
    expect(stageCacheReferences(IMAGE, refContext(overrides))).toEqual(tags.map((tag) => `${IMAGE}:${tag}`));
  });

  it('any branch name: valid tags, never one of the image tags themselves', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (branch) => {
        const context = refContext({ ref: `refs/heads/${branch}`, gitBranch: branch });
        const images = cacheReferences(IMAGE, context);
        for (const reference of stageCacheReferences(IMAGE, context)) {
          expect(reference.slice(IMAGE.length + 1)).toMatch(TAG_PATTERN);
          expect(reference.slice(IMAGE.length + 1).startsWith('buildcache-')).toBe(true);
          expect(images).not.toContain(reference);
        }
      }),
    );
  });
});

describe('registryCacheImages', () => {
  const branch = refContext({ ref: 'refs/heads/feature', gitBranch: 'feature' });

  it('uses the first image', () => {
    expect(registryCacheImages(settings({ images: ['reg.io/a', 'reg.io/b'] }), branch)).toEqual({
      images: ['reg.io/a:feature', 'reg.io/a:main'],
      stages: ['reg.io/a:buildcache-feature', 'reg.io/a:buildcache-main'],
    });
  });

  it.each([{ cache: false }, { noCache: true }])('%j gives none', (overrides) => {
    expect(registryCacheImages(settings(overrides), branch)).toEqual({ images: [], stages: [] });
  });
});
