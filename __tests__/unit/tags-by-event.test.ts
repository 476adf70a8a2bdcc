import { refContextOf, RUNNER_FIXTURES, type RunnerFixtureName } from '../../__fixtures__/runner.js';
import { settingsWith } from '../../__fixtures__/inputs.js';
import type { RawInputs } from '../../src/inputs/input-names.js';
import { type RunRecord, newRunRecord } from '../../src/record/run-record.js';
import { collectOutputs } from '../../src/report/outputs.js';
import { fullReferences, resolveTags } from '../../src/tags/resolve-tags.js';

const NOW = new Date('2026-11-28T23:59:59Z');

function tagsFor(name: RunnerFixtureName, inputs: Partial<RawInputs> = {}): string[] {
  return resolveTags(settingsWith(inputs), refContextOf(name), NOW).tags.map(({ tag }) => tag);
}

describe('tags of each event with the default inputs', () => {
  const expected: Record<RunnerFixtureName, string[]> = {
    'push-default-branch': ['main'],
    'push-feature-branch': ['feature-Login-Page'],
    'pull-request': ['pr-42'],
    'pull-request-fork': ['pr-43'],
    'pull-request-target-fork': ['pr-43'],
    'tag-v1.2.3': ['v1.2.3', '1.2.3', '1.2', '1', 'latest'],
    'tag-v2.0.0-rc.1': ['v2.0.0-rc.1', '2.0.0-rc.1'],
    'tag-v0.3.1': ['v0.3.1', '0.3.1', '0.3', 'latest'],
    'tag-non-semver': ['release1', 'latest'],
    schedule: ['main'],
    'workflow-dispatch': ['develop'],
  };

  it('has a row for every fixture', () => {
    expect(Object.keys(expected).sort()).toEqual([...RUNNER_FIXTURES].sort());
  });

  it.each(RUNNER_FIXTURES.map((name) => [name, expected[name]] as const))('%s → %j', (name, tags) => {
    expect(tagsFor(name)).toEqual(tags);
  });

  it.each(RUNNER_FIXTURES.map((name) => [name, expected[name]] as const))(
    '%s: the `tags` output names every tag of both images',
    (name, tags) => {
      const settings = settingsWith({ image: 'ghcr.io/acme/webapp\ndocker.io/acme/webapp' });
      const resolution = resolveTags(settings, refContextOf(name), NOW);
      const outputs = collectOutputs(
        resolution.names.branch,
        resolution.tags,
        fullReferences(settings.images, resolution.tags),
        newRunRecord(),
      );
      expect(outputs.tags).toBe(
        [
          ...tags.map((tag) => `ghcr.io/acme/webapp:${tag}`),
          ...tags.map((tag) => `docker.io/acme/webapp:${tag}`),
        ].join('\n'),
      );
      expect(outputs.tag).toBe(tags[0]);
    },
  );
});

describe('tags of each event with every placeholder', () => {
  const tag = '{ref}\n{branch}\n{tag}\n{pr}\n{short-sha}\nbuild-{run-number}\nnightly-{date}';

  it.each([
    [
      'push-feature-branch',
      ['feature-Login-Page', 'b7c8d9e', 'build-129', 'nightly-20261128'],
      ['{tag}', '{pr}'],
    ],
    [
      'pull-request-fork',
      ['pr-43', 'pr-43-main', '43', 'e3f4051', 'build-131', 'nightly-20261128'],
      ['{tag}'],
    ],
    [
      'tag-v1.2.3',
      ['v1.2.3', '4e1a6b2', 'build-132', 'nightly-20261128', '1.2.3', '1.2', '1', 'latest'],
      ['{branch}', '{pr}'],
    ],
    ['schedule', ['main', '4e1a6b2', 'build-136', 'nightly-20261128'], ['{tag}', '{pr}']],
  ] as const)('%s → %j, skipping %j', (name, tags, skipped) => {
    const resolution = resolveTags(settingsWith({ tag }), refContextOf(name), NOW);
    expect(resolution.tags.map((t) => t.tag)).toEqual(tags);
    expect(resolution.skipped.map((s) => s.template)).toEqual(skipped);
  });
});

describe('the semver and latest inputs', () => {
  it.each([
    ['push-feature-branch', { latest: 'true' }, ['feature-Login-Page', 'latest']],
    ['pull-request', { latest: 'true' }, ['pr-42', 'latest']],
    ['push-default-branch', { latest: 'false' }, ['main']],
    ['tag-v1.2.3', { latest: 'false' }, ['v1.2.3', '1.2.3', '1.2', '1']],
    ['tag-v1.2.3', { semver: 'false' }, ['v1.2.3', 'latest']],
    ['tag-v2.0.0-rc.1', { semver: 'false' }, ['v2.0.0-rc.1']],
    ['tag-v2.0.0-rc.1', { latest: 'true' }, ['v2.0.0-rc.1', '2.0.0-rc.1', 'latest']],
    ['tag-non-semver', { latest: 'false' }, ['release1']],
    ['tag-v1.2.3', { tag: '{short-sha}' }, ['4e1a6b2', '1.2.3', '1.2', '1', 'latest']],
  ] as const)('%s with %j → %j', (name, inputs, tags) => {
    expect(tagsFor(name, inputs)).toEqual(tags);
  });
});

describe('other tag names', () => {
  it.each([
    ['1.2.3', ['1.2.3', '1.2', '1', 'latest']],
    ['v10.20.30', ['v10.20.30', '10.20.30', '10.20', '10', 'latest']],
    ['v0.0.1', ['v0.0.1', '0.0.1', '0.0', 'latest']],
    ['v1.2.3+build.5', ['v1.2.3-build.5', '1.2.3-build.5', '1.2', '1', 'latest']],
    ['v3.0.0-beta.2+exp', ['v3.0.0-beta.2-exp', '3.0.0-beta.2-exp']],
    ['20200110-RC2', ['20200110-RC2', 'latest']],
    ['v1.2', ['v1.2', 'latest']],
    ['V1.2.3', ['V1.2.3', 'latest']],
  ] as const)('refs/tags/%s → %j', (gitTag, tags) => {
    const context = { ...refContextOf('tag-v1.2.3'), ref: `refs/tags/${gitTag}` };
    expect(resolveTags(settingsWith({}), context, NOW).tags.map((t) => t.tag)).toEqual(tags);
  });
});

describe('which rule made each tag', () => {
  it.each([
    ['push-feature-branch', '{ref}', [['feature/Login-Page', 'feature-Login-Page', 'branch']]],
    [
      'pull-request',
      '{ref}\n{branch}',
      [
        ['pr-42', 'pr-42', 'pull request'],
        ['pr-42-feature/Login-Page', 'pr-42-feature-Login-Page', 'branch'],
      ],
    ],
    [
      'tag-v1.2.3',
      '{ref}\nsha-{short-sha}',
      [
        ['v1.2.3', 'v1.2.3', 'tag'],
        ['sha-4e1a6b2', 'sha-4e1a6b2', 'template'],
        ['v1.2.3', '1.2.3', 'semver'],
        ['v1.2.3', '1.2', 'semver'],
        ['v1.2.3', '1', 'semver'],
        ['v1.2.3', 'latest', 'latest'],
      ],
    ],
    [
      'schedule',
      '{date}\n{run-number}\n{sha}',
      [
        ['20261128', '20261128', 'date'],
        ['136', '136', 'run number'],
        ['4e1a6b2f9c3d5e7081a2b3c4d5e6f708192a3b4c', '4e1a6b2f9c3d5e7081a2b3c4d5e6f708192a3b4c', 'sha'],
      ],
    ],
    ['push-default-branch', '{ref}', [['main', 'main', 'branch']]],
  ] as const)('%s with %j', (name, tag, rows) => {
    const { tags } = resolveTags(settingsWith({ tag, latest: 'auto' }), refContextOf(name), NOW);
    expect(tags.map((t) => [t.source, t.tag, t.rule])).toEqual(rows);
  });

  it('keeps the first rule when two give the same tag', () => {
    const { tags } = resolveTags(settingsWith({ tag: '{ref}\n{tag}' }), refContextOf('tag-v0.3.1'), NOW);
    expect(tags[0]).toEqual({ tag: 'v0.3.1', source: 'v0.3.1', rule: 'tag' });
    expect(tags.filter((t) => t.tag === 'v0.3.1')).toHaveLength(1);
  });
});

describe('the rebuilt and base-digest outputs', () => {
  const base = { name: 'python:3.12-slim', digest: 'sha256:b' };
  const executed = (fill: Partial<RunRecord>): RunRecord => ({ ...newRunRecord(), ...fill });
  it.each<[string, RunRecord, string, string]>([
    ['a dry run', executed({ dryRun: true, base: { name: base.name, digest: undefined } }), 'false', ''],
    ['a build (always)', executed({ base }), 'true', 'sha256:b'],
    ['FROM scratch', executed({ base: undefined }), 'true', ''],
    [
      'a base read without its digest',
      executed({ base: { name: base.name, digest: undefined } }),
      'true',
      '',
    ],
    [
      'base-changed, base moved',
      executed({ base, rebuild: { rebuilt: true, reason: 'moved', previousDigest: 'sha256:a' } }),
      'true',
      'sha256:b',
    ],
    [
      'base-changed, base unchanged',
      executed({ base, rebuild: { rebuilt: false, reference: 'r', since: undefined } }),
      'false',
      'sha256:b',
    ],
  ])('%s', (_name, execution, rebuilt, baseDigest) => {
    const outputs = collectOutputs('main', [], [], execution);
    expect([outputs.rebuilt, outputs['base-digest']]).toEqual([rebuilt, baseDigest]);
  });

  it('call: check built nothing', () => {
    expect(collectOutputs('main', [], [], executed({}), undefined, true).rebuilt).toBe('false');
  });
});
