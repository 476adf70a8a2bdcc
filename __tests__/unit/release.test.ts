import fc from 'fast-check';
import { parse } from 'semver';
import { releaseTags, versionTags, wantsLatest } from '../../src/tags/release.js';
import { parseVersion } from '../../src/tags/version.js';
import { TAG_PATTERN } from '../../src/shared/image-reference.js';

function versionTagsOf(gitTag: string): string[] {
  const version = parseVersion(gitTag);
  if (version === undefined) throw new Error(`${gitTag} should parse`);
  return versionTags(version);
}

describe('parseVersion', () => {
  it.each(['v1.2.3', '1.2.3', 'v2.0.0-rc.1', 'v1.2.3+build.5', 'v0.0.0'])('reads %s', (tag) => {
    expect(parseVersion(tag)).toBeDefined();
  });
  it.each(['release1', '20200110-RC2', 'v1.2', '1', 'V1.2.3', '01.2.3', 'latest', ''])(
    'does not read %j',
    (tag) => {
      expect(parseVersion(tag)).toBeUndefined();
    },
  );
});

describe('versionTags', () => {
  it.each([
    ['v1.2.3', ['1.2.3', '1.2', '1']],
    ['v0.3.1', ['0.3.1', '0.3']],
    ['v0.0.1', ['0.0.1', '0.0']],
    ['v2.0.0-rc.1', ['2.0.0-rc.1']],
    ['v0.1.0-alpha', ['0.1.0-alpha']],
    ['v1.2.3+build.5', ['1.2.3+build.5', '1.2', '1']],
  ])('%s → %j', (tag, tags) => {
    expect(versionTagsOf(tag)).toEqual(tags);
  });
});

/** The names of a run for `gitTag` (none: a branch's run). */
function tagRun(gitTag: string | undefined) {
  return gitTag === undefined
    ? { refSource: 'branch' as const, ref: 'dev', gitTag }
    : { refSource: 'tag' as const, ref: gitTag, gitTag };
}

describe('wantsLatest', () => {
  it.each([
    ['auto', 'v1.2.3', true],
    ['auto', 'v2.0.0-rc.1', false],
    ['auto', 'release1', true],
    ['auto', undefined, false],
    ['always', undefined, true],
    ['always', 'v2.0.0-rc.1', true],
    ['never', 'v1.2.3', false],
  ] as const)('%s on %j → %s', (policy, gitTag, expected) => {
    expect(wantsLatest(policy, tagRun(gitTag), 'main')).toBe(expected);
  });

  it.each([
    ['a run of the default branch', { refSource: 'branch', ref: 'main', gitTag: undefined }, 'main', true],
    ['a run of another branch', { refSource: 'branch', ref: 'dev', gitTag: undefined }, 'main', false],
    ['a pull request', { refSource: 'pull request', ref: 'pr-3', gitTag: undefined }, 'main', false],
    ['a release', { refSource: 'tag', ref: 'v1.2.3', gitTag: 'v1.2.3' }, 'main', false],
    [
      'a payload without the default branch',
      { refSource: 'branch', ref: 'main', gitTag: undefined },
      undefined,
      false,
    ],
  ] as const)('default-branch on %s → %s', (_label, names, defaultBranch, expected) => {
    expect(wantsLatest('default-branch', names, defaultBranch)).toBe(expected);
  });
});

describe('release tags, for any version', () => {
  const numbers = fc.nat({ max: 10_000 });
  const identifier = fc.stringMatching(/^[0-9A-Za-z-]{1,12}$/).filter((id) => !/^0[0-9]+$/.test(id));
  const versions = fc
    .record({
      major: numbers,
      minor: numbers,
      patch: numbers,
      prerelease: fc.array(identifier, { maxLength: 3 }),
      build: fc.array(fc.stringMatching(/^[0-9A-Za-z-]{1,8}$/), { maxLength: 2 }),
      v: fc.boolean(),
    })
    .map(
      ({ major, minor, patch, prerelease, build, v }) =>
        `${v ? 'v' : ''}${major}.${minor}.${patch}` +
        (prerelease.length > 0 ? `-${prerelease.join('.')}` : '') +
        (build.length > 0 ? `+${build.join('.')}` : ''),
    );

  it('gives valid tags, a pre-release only its full version, and never a bare 0', () => {
    fc.assert(
      fc.property(versions, (gitTag) => {
        const version = parse(gitTag);
        expect(version).not.toBeNull();
        const tags = releaseTags(tagRun(gitTag), { semver: true, latest: 'auto' }).map((t) => t.tag);
        for (const tag of tags) expect(tag).toMatch(TAG_PATTERN);
        expect(tags).not.toContain('0');
        const prerelease = (version?.prerelease.length ?? 0) > 0;
        expect(tags).toHaveLength(prerelease ? 1 : version?.major === 0 ? 3 : 4);
        expect(tags.includes('latest')).toBe(!prerelease);
      }),
    );
  });

  it('adds nothing but latest when semver is off', () => {
    fc.assert(
      fc.property(versions, (gitTag) => {
        const tags = releaseTags(tagRun(gitTag), { semver: false, latest: 'auto' }).map((t) => t.tag);
        expect(tags.every((tag) => tag === 'latest')).toBe(true);
      }),
    );
  });
});
