import { InputError } from '../../src/shared/errors.js';
import { Secret } from '../../src/shared/secret.js';
import { parseInputs } from '../../src/inputs/parse-inputs.js';
import type { RawInputs } from '../../src/inputs/input-names.js';
import { decidePush } from '../../src/tags/fork-rules.js';
import { stepLogins } from '../../src/inputs/logins.js';
import { renderBuildArgs } from '../../src/tags/build-arg-values.js';
import { imageNames, referenceMotions, resolveTags } from '../../src/tags/resolve-tags.js';
import { placeholderValues, refNames } from '../../src/tags/tags.js';
import { refContext, SHA, settings } from './helpers.js';
import { rawInputs } from '../../__fixtures__/inputs.js';

const NOW = new Date('2026-12-07T02:19:28.123Z');
const tagRef = (tag: string) => refContext({ gitBranch: undefined, ref: `refs/tags/${tag}` });
const HEAD = 'e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f70';
const pullRequest = (fromFork: boolean) =>
  refContext({
    eventName: 'pull_request',
    ref: 'refs/pull/9/merge',
    gitBranch: undefined,
    pullRequest: { number: 9, headRef: 'fix', baseRef: 'main', fromFork, headSha: HEAD },
  });

function resolved(templates: string[], context = tagRef('v1.2.3'), semver = false) {
  return resolveTags({ tagTemplates: templates, semver, latest: 'never' }, context, NOW);
}

describe('version parts in tag templates', () => {
  it.each([
    ['v1.2.3', 'v{major}.{minor}', 'v1.2'],
    ['v1.2.3', 'v{major}', 'v1'],
    ['1.2.3', '{major}.{minor}-alpine', '1.2-alpine'],
    ['v1.2.3', '{version}-slim', '1.2.3-slim'],
    ['v1.2.3', '{major}.{minor}.{patch}', '1.2.3'],
    ['v2.0.0-rc.1', '{version}-slim', '2.0.0-rc.1-slim'],
    ['v1.2.3+build.5', '{version}', '1.2.3-build.5'],
    ['v0.3.1', 'v{major}.{minor}', 'v0.3'],
    ['v0.3.1', '{major}.{minor}.{patch}', '0.3.1'],
  ])('%s: %s → %s', (tag, template, expected) => {
    expect(resolved([template, '{ref}'], tagRef(tag)).tags[0]?.tag).toBe(expected);
  });

  it.each([
    ['v2.0.0-rc.1', 'v{major}.{minor}', 'major', '2.0.0-rc.1 is a pre-release, which moves no version tag'],
    [
      'v2.0.0-rc.1',
      '{major}.{minor}.{patch}',
      'major',
      '2.0.0-rc.1 is a pre-release, which moves no version tag',
    ],
    [
      'v0.3.1',
      'v{major}',
      'major',
      '{major} alone is 0 on 0.3.1, and 0.x makes no promise between minor versions',
    ],
  ])('%s: %s is skipped, with why', (tag, template, placeholder, reason) => {
    expect(resolved([template, '{ref}'], tagRef(tag)).skipped).toEqual([{ template, placeholder, reason }]);
  });

  it.each([
    ['a branch', refContext()],
    ['a tag that is no version', tagRef('release1')],
    ['a pull request', pullRequest(false)],
  ])('on %s every version part has no value, and the template is skipped', (_label, context) => {
    const result = resolved(['{version}', 'v{major}', '{minor}', 'x{patch}', '{short-sha}'], context);
    expect(result.skipped.map((skip) => skip.placeholder)).toEqual(['version', 'major', 'minor', 'patch']);
    expect(result.skipped.every((skip) => skip.reason === undefined)).toBe(true);
  });

  it('{build-date} is the run time in UTC, to the second', () => {
    expect(placeholderValues(refContext(), refNames(refContext()), NOW)['build-date']).toBe(
      '2026-12-07T02:19:28Z',
    );
  });
});

describe('how each tag moves', () => {
  it('a release: the full version and {ref} are exact; 1.2, 1, latest and version-part templates move by version', () => {
    const result = resolveTags(
      { tagTemplates: ['{ref}', 'v{major}', '{version}-slim', '{short-sha}'], semver: true, latest: 'auto' },
      tagRef('v1.2.3'),
      NOW,
    );
    expect(result.tags.map(({ tag, moves }) => [tag, moves])).toEqual([
      ['v1.2.3', undefined],
      ['v1', 'release'],
      ['1.2.3-slim', 'release'],
      ['0123456', undefined],
      ['1.2.3', undefined],
      ['1.2', 'release'],
      ['1', 'release'],
      ['latest', 'release'],
    ]);
  });

  it('a branch: every template without a commit moves with the branch, latest too', () => {
    const result = resolveTags(
      {
        tagTemplates: ['{ref}', 'edge', 'nightly-{date}', '{short-sha}', 'sha-{sha}'],
        semver: true,
        latest: 'always',
      },
      refContext(),
      NOW,
    );
    expect(result.tags.map(({ tag, moves }) => [tag, moves])).toEqual([
      ['main', 'branch'],
      ['edge', 'branch'],
      ['nightly-20261207', 'branch'],
      ['0123456', undefined],
      [`sha-${SHA}`, undefined],
      ['latest', 'branch'],
    ]);
  });

  it('a pull request: pr-<n> moves with its head commits', () => {
    expect(resolved(['{ref}', '{short-sha}'], pullRequest(false)).tags.map((tag) => tag.moves)).toEqual([
      'branch',
      undefined,
    ]);
  });

  it('every repository gets the motion of its tag', () => {
    const tags = resolved(['{ref}', '{short-sha}'], refContext()).tags;
    expect([...referenceMotions(['a/app', 'b/app'], tags)]).toEqual([
      ['a/app:main', 'branch'],
      ['b/app:main', 'branch'],
    ]);
  });
});

describe('the version, and the commit a pull request names', () => {
  it('a release: the version output and label are the version without v', () => {
    const names = imageNames(settings({ tagTemplates: ['v{major}.{minor}'] }), tagRef('v1.2.3'), NOW);
    expect(names.version).toBe('1.2.3');
    expect(names.labels['org.opencontainers.image.version']).toBe('1.2.3');
  });

  it('not a release: no version, and the label is the first tag', () => {
    const names = imageNames(settings(), refContext(), NOW);
    expect(names.version).toBeUndefined();
    expect(names.labels['org.opencontainers.image.version']).toBe('main');
  });

  it('a pull request: {sha}, {short-sha} and the revision label are its head commit, not the merge commit', () => {
    const names = imageNames(settings({ tagTemplates: ['{sha}', '{short-sha}'] }), pullRequest(true), NOW);
    expect(names.tags.map(({ tag }) => tag)).toEqual([HEAD, HEAD.slice(0, 7)]);
    expect(names.labels['org.opencontainers.image.revision']).toBe(HEAD);
  });

  it('a pull request whose payload has no head commit falls back to the runner sha', () => {
    const context = refContext({
      eventName: 'pull_request',
      ref: 'refs/pull/9/merge',
      pullRequest: { number: 9, headRef: 'fix', baseRef: 'main', fromFork: false },
    });
    expect(imageNames(settings(), context, NOW).labels['org.opencontainers.image.revision']).toBe(SHA);
  });
});

describe('placeholders in build-args', () => {
  const values = placeholderValues(tagRef('v1.2.3'), refNames(tagRef('v1.2.3')), NOW);

  it('fills them, and passes other braces through', () => {
    expect(
      renderBuildArgs(
        [
          'VERSION={version}',
          'REVISION={sha}',
          'BUILT={build-date}',
          'JSON={"a":{"b":1}}',
          'SHELL=${home}',
          'UP={HOME}',
        ],
        values,
      ),
    ).toEqual({
      args: [
        `VERSION=1.2.3`,
        `REVISION=${SHA}`,
        'BUILT=2026-12-07T02:19:28Z',
        'JSON={"a":{"b":1}}',
        'SHELL=${home}',
        'UP={HOME}',
      ],
      skipped: [],
    });
  });

  it('leaves out a line whose placeholder has no value on this run', () => {
    const branch = placeholderValues(refContext(), refNames(refContext()), NOW);
    expect(renderBuildArgs(['VERSION={version}', 'REF={ref}'], branch)).toEqual({
      args: ['REF=main'],
      skipped: [{ line: 'VERSION={version}', placeholder: 'version' }],
    });
  });
});

describe('an unknown placeholder is an input error before anything runs', () => {
  const error = (inputs: Partial<RawInputs>): InputError => {
    try {
      parseInputs(rawInputs(inputs), '/ws');
    } catch (thrown) {
      if (thrown instanceof InputError) return thrown;
      throw thrown;
    }
    throw new Error('no error');
  };

  it('in a tag template, naming `tag` and the placeholders there are', () => {
    const thrown = error({ tag: '{ref}\nv{mayjor}' });
    expect(thrown.input).toBe('tag');
    expect(thrown.message).toBe(
      'Input `tag`: template "v{mayjor}" uses unknown placeholder {mayjor}; use one of {ref}, {branch}, {tag}, {pr}, {sha}, {short-sha}, {run-number}, {date}, {build-date}, {version}, {major}, {minor}, {patch}',
    );
  });

  it('in build-args, naming `build-args` and how to pass braces', () => {
    const thrown = error({ 'build-args': 'A=1\nVERSION={verison}' });
    expect(thrown.input).toBe('build-args');
    expect(thrown.message).toContain(
      'line "VERSION={verison}" uses unknown placeholder {verison}; use one of {ref}',
    );
    expect(thrown.message).toContain(
      'braces around anything else (JSON, upper case, ${NAME}) pass through as written',
    );
  });
});

describe("a fork's pull request pushes nothing unless push-forks says so", () => {
  const withLogin = settings({ credentials: undefined, push: true });

  it('no push, no login, and a notice that says why and how to opt in', () => {
    const decision = decidePush(
      settings({
        credentials: { username: 'u', password: new Secret('p') },
        registryAuth: [{ registry: 'ghcr.io', username: 'v', password: new Secret('q') }],
      }),
      pullRequest(true),
    );
    expect(decision.settings.push).toBe(false);
    expect(stepLogins(decision.settings)).toEqual([]);
    expect(decision.notice).toMatch(/^Not pushing: pull request #9 comes from a fork/);
    expect(decision.notice).toContain('`push-forks: true`');
  });

  it.each([
    ['push-forks: true', settings({ pushForks: true }), pullRequest(true)],
    ['a pull request of the repository itself', withLogin, pullRequest(false)],
    ['a push', withLogin, refContext()],
    ['push: false already', settings({ push: false }), pullRequest(true)],
  ])('%s: the settings as given, no notice', (_label, given, context) => {
    expect(decidePush(given, context)).toEqual({ settings: given, notice: undefined });
  });
});
