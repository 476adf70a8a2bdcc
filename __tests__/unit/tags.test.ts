import { createHash } from 'node:crypto';
import * as fc from 'fast-check';
import type { RefContext } from '../../src/context/ref-context.js';
import { resolveTags } from '../../src/tags/resolve-tags.js';
import { TAG_PATTERN } from '../../src/shared/image-reference.js';
import { refNames, sanitizeTag, TagError } from '../../src/tags/tags.js';
import { refContext, SHA } from './helpers.js';

/** The templates' tags alone (no version tags, no latest), as plain names. */
function renderTags(templates: readonly string[], context: RefContext) {
  const resolved = resolveTags(
    { tagTemplates: [...templates], semver: false, latest: 'never' },
    context,
    new Date('2026-11-28T12:00:00Z'),
  );
  return { tags: resolved.tags.map(({ tag }) => tag), skipped: resolved.skipped };
}

describe('sanitizeTag', () => {
  it.each([
    // The issue's table.
    ['main', 'main'],
    ['feature/Login-Page', 'feature-Login-Page'],
    ['fix/#42-crash', 'fix-42-crash'],
    ['#42-crash', '42-crash'],
    ['release/v1.2+build', 'release-v1.2-build'],
    ['dependabot/npm_and_yarn/lodash-4.17.21', 'dependabot-npm_and_yarn-lodash-4.17.21'],
    // Worse.
    ['UPPER/Case', 'UPPER-Case'],
    ['_underscore', '_underscore'],
    ['feature/ünïcödé', 'feature-n-c-d-'],
    ['fix/🔥-hot', 'fix--hot'],
    ['a\nb\r\nc', 'a-b-c'],
    ['a\u0000b\tc', 'a-b-c'],
    ['$(rm -rf /)', 'rm--rf-'],
    ['`id`', 'id-'],
    ['a;b && c', 'a-b-c'],
    [`"quoted" 'name'`, 'quoted-name-'],
    ['../etc/passwd', 'etc-passwd'],
    ['a..b', 'a..b'],
    ['-rf', 'rf'],
    ['.hidden', 'hidden'],
    ['.-._x', '_x'],
    ['v1.2.3', 'v1.2.3'],
  ])('%j → %j', (name, tag) => {
    expect(sanitizeTag(name)).toBe(tag);
  });

  it.each([[''], ['///'], ['...'], ['-'], ['--'], [' '], ['\n'], ['日本語/ブランチ'], ['🔥'], ['.-.-']])(
    '%j has nothing usable → TagError naming it',
    (name) => {
      expect(() => sanitizeTag(name)).toThrow(TagError);
      expect(() => sanitizeTag(name)).toThrow(
        `${JSON.stringify(name)} has no character that a Docker tag may hold`,
      );
    },
  );

  it.each([
    ['128 chars: kept', 'a'.repeat(128), 'a'.repeat(128)],
    ['129 chars: cut + hash', 'a'.repeat(129), `${'a'.repeat(120)}-c12cb02`],
    ['300 chars with a slash', `feature/${'x'.repeat(292)}`, `feature-${'x'.repeat(112)}-5666ec7`],
    ['300 chars', 'b'.repeat(300), `${'b'.repeat(120)}-dccc145`],
  ])('%s', (_label, name, tag) => {
    expect(sanitizeTag(name)).toBe(tag);
    expect(tag).toHaveLength(Math.min(name.length, 128));
  });

  it('hashes the whole name: two long names sharing a 200-char prefix stay distinct', () => {
    const prefix = `feature/${'p'.repeat(192)}`;
    const one = sanitizeTag(`${prefix}-one`);
    const two = sanitizeTag(`${prefix}-two`);
    expect(one).not.toBe(two);
    expect(one.slice(0, 120)).toBe(two.slice(0, 120));
    expect(one).toBe(
      `${`feature-${'p'.repeat(192)}`.slice(0, 120)}-${createHash('sha256').update(`${prefix}-one`).digest('hex').slice(0, 7)}`,
    );
    expect(one).toMatch(/^[A-Za-z0-9_.-]{120}-[0-9a-f]{7}$/);
  });

  const anyString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.string({
      unit: fc.constantFrom('a', 'Z', '9', '_', '.', '-', '/', '#', ' ', '\n', 'é', '🔥'),
      maxLength: 300,
    }),
  );

  it('property: any string gives a valid tag of at most 128 chars, or a TagError', () => {
    fc.assert(
      fc.property(anyString, (name) => {
        let tag: string;
        try {
          tag = sanitizeTag(name);
        } catch (error) {
          expect(error).toBeInstanceOf(TagError);
          return;
        }
        expect(tag).toMatch(TAG_PATTERN);
        expect(tag.length).toBeLessThanOrEqual(128);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: idempotent, and valid tags come back unchanged', () => {
    const validTag = fc
      .tuple(
        fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_'), minLength: 1, maxLength: 1 }),
        fc.string({ unit: fc.constantFrom('a', 'Z', '9', '_', '.', '-'), maxLength: 127 }),
      )
      .map(([head, rest]) => head + rest);
    fc.assert(
      fc.property(validTag, (tag) => {
        expect(sanitizeTag(tag)).toBe(tag);
      }),
    );
    fc.assert(
      fc.property(anyString, (name) => {
        fc.pre(/[A-Za-z0-9_]/.test(name));
        const once = sanitizeTag(name);
        expect(sanitizeTag(once)).toBe(once);
      }),
    );
  });
});

const pr = { number: 12, headRef: 'feature/x', baseRef: 'main', fromFork: false };

describe('refNames', () => {
  it.each([
    ['push, git on the branch', {}, { ref: 'main', refSource: 'branch', branch: 'main', gitTag: undefined }],
    [
      'git branch wins over the runner ref',
      { gitBranch: 'feature/Login-Page', ref: 'refs/heads/other' },
      { ref: 'feature/Login-Page', refSource: 'branch', branch: 'feature/Login-Page', gitTag: undefined },
    ],
    [
      'detached HEAD, refs/heads/x',
      { gitBranch: undefined, ref: 'refs/heads/x' },
      { ref: 'x', refSource: 'branch', branch: 'x', gitTag: undefined },
    ],
    [
      'detached HEAD, refs/tags/v1.2.3',
      { gitBranch: undefined, ref: 'refs/tags/v1.2.3' },
      { ref: 'v1.2.3', refSource: 'tag', branch: undefined, gitTag: 'v1.2.3' },
    ],
    [
      'pull_request: pr-12 even when git reports main',
      { eventName: 'pull_request', ref: 'refs/pull/12/merge', gitBranch: 'main', pullRequest: pr },
      { ref: 'pr-12', refSource: 'pull request', branch: 'feature/x', gitTag: undefined },
    ],
    [
      'pull_request_target from a fork named main',
      {
        eventName: 'pull_request_target',
        ref: 'refs/heads/main',
        gitBranch: 'main',
        pullRequest: { number: 3, headRef: 'main', baseRef: 'main', fromFork: true },
      },
      { ref: 'pr-3', refSource: 'pull request', branch: 'main', gitTag: undefined },
    ],
    [
      'pull request without a head branch',
      { eventName: 'pull_request', pullRequest: { ...pr, headRef: '' } },
      { ref: 'pr-12', refSource: 'pull request', branch: undefined, gitTag: undefined },
    ],
    [
      'refs/pull on a non-PR event, detached',
      { eventName: 'workflow_dispatch', ref: 'refs/pull/12/merge', gitBranch: undefined },
      { ref: undefined, refSource: undefined, branch: undefined, gitTag: undefined },
    ],
    [
      'empty ref, detached',
      { ref: '', gitBranch: undefined },
      { ref: undefined, refSource: undefined, branch: undefined, gitTag: undefined },
    ],
    [
      'bare refs/heads/ prefix',
      { ref: 'refs/heads/', gitBranch: undefined },
      { ref: undefined, refSource: undefined, branch: undefined, gitTag: undefined },
    ],
  ] as const)('%s', (_label, overrides, expected) => {
    expect(refNames(refContext(overrides))).toEqual(expected);
  });
});

describe('renderTags', () => {
  it.each([
    ['push to a slashed branch', ['{ref}'], ['feature-Login-Page'], { gitBranch: 'feature/Login-Page' }],
    [
      'pull request',
      ['{ref}', '{branch}'],
      ['pr-12', 'pr-12-feature-x'],
      { eventName: 'pull_request', pullRequest: pr },
    ],
    ['tag ref', ['{ref}'], ['v1.2.3'], { gitBranch: undefined, ref: 'refs/tags/v1.2.3' }],
    ['sha and short-sha', ['{sha}', 'sha-{short-sha}'], [SHA, 'sha-0123456'], {}],
    ['duplicates collapsed', ['{ref}', '{branch}', 'main', '{ref}'], ['main'], {}],
    ['template order kept', ['latest', '{short-sha}', '{ref}'], ['latest', '0123456', 'main'], {}],
    [
      'sanitised after rendering',
      ['{ref}-build/{short-sha}'],
      ['feature-a-build-0123456'],
      { gitBranch: 'feature/a' },
    ],
    ['literal only', ['stable'], ['stable'], {}],
  ] as const)('%s', (_label, templates, tags, overrides) => {
    expect(renderTags(templates, refContext(overrides))).toEqual({ tags, skipped: [] });
  });

  it('skips {branch} on a tag ref and lists it in skipped', () => {
    const context = refContext({ gitBranch: undefined, ref: 'refs/tags/v1.2.3' });
    expect(renderTags(['{ref}', 'branch-{branch}', '{short-sha}'], context)).toEqual({
      tags: ['v1.2.3', '0123456'],
      skipped: [{ template: 'branch-{branch}', placeholder: 'branch' }],
    });
  });

  it('skips {sha} and {short-sha} when the run has no sha', () => {
    expect(renderTags(['{ref}', '{sha}', '{short-sha}'], refContext({ sha: '' }))).toEqual({
      tags: ['main'],
      skipped: [
        { template: '{sha}', placeholder: 'sha' },
        { template: '{short-sha}', placeholder: 'short-sha' },
      ],
    });
  });

  it.each([
    [
      'refs/pull on a non-PR event',
      { eventName: 'workflow_dispatch', ref: 'refs/pull/12/merge', gitBranch: undefined },
    ],
    ['empty ref', { eventName: 'push', ref: '', gitBranch: undefined }],
  ] as const)(
    'fully detached (%s): {ref} is a TagError about detached HEAD and `tag`',
    (_label, overrides) => {
      const context = refContext(overrides);
      expect(() => renderTags(['{ref}'], context)).toThrow(TagError);
      expect(() => renderTags(['{ref}'], context)).toThrow(/HEAD is detached/);
      expect(() => renderTags(['{ref}'], context)).toThrow(/`tag` input/);
      expect(() => renderTags(['{ref}'], context)).toThrow(`ref ${JSON.stringify(overrides.ref)}`);
      // A template that needs no ref still works there.
      expect(renderTags(['{short-sha}'], context).tags).toEqual(['0123456']);
    },
  );

  it.each([['{nope}'], ['v-{nope}'], ['{}'], ['{REF}']])(
    'unknown placeholder in %j → TagError naming it',
    (template) => {
      const name = /\{([^{}]*)\}/.exec(template)?.[1] ?? '';
      expect(() => renderTags([template], refContext())).toThrow(TagError);
      expect(() => renderTags([template], refContext())).toThrow(
        `tag template ${JSON.stringify(template)} uses unknown placeholder {${name}}; known: {ref}, {branch}, {tag}, {pr}, {sha}, {short-sha}, {run-number}, {date}`,
      );
    },
  );

  // Names every object inherits must not pass for placeholders.
  it.each([['{toString}'], ['{constructor}'], ['{__proto__}'], ['{hasOwnProperty}']])(
    'prototype names like %j are unknown placeholders',
    (template) => {
      expect(() => renderTags([template], refContext())).toThrow(TagError);
    },
  );

  it('a sanitised name with nothing usable is a TagError naming it', () => {
    expect(() => renderTags(['{branch}'], refContext({ gitBranch: '///' }))).toThrow(
      '"///" has no character',
    );
  });
});
