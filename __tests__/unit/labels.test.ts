import { refContextOf } from '../../__fixtures__/runner.js';
import { baseLabels, imageLabels } from '../../src/tags/labels.js';

describe('imageLabels', () => {
  it('puts the standard OCI labels on a release, from the commit and the repository', () => {
    expect(imageLabels(refContextOf('tag-v1.2.3'), 'v1.2.3', {})).toEqual({
      'org.opencontainers.image.title': 'webapp',
      'org.opencontainers.image.url': 'https://github.com/acme/webapp',
      'org.opencontainers.image.source': 'https://github.com/acme/webapp',
      'org.opencontainers.image.revision': '4e1a6b2f9c3d5e7081a2b3c4d5e6f708192a3b4c',
      'org.opencontainers.image.created': '2026-11-27T16:20:31+01:00',
      'org.opencontainers.image.version': 'v1.2.3',
      'build-test-push-action.source-ref': 'refs/tags/v1.2.3',
    });
  });

  it('lets the labels input add and override', () => {
    const labels = imageLabels(refContextOf('push-feature-branch'), 'feature-Login-Page', {
      'org.opencontainers.image.title': 'Web app',
      'org.opencontainers.image.vendor': 'Acme',
    });
    expect(labels['org.opencontainers.image.title']).toBe('Web app');
    expect(labels['org.opencontainers.image.vendor']).toBe('Acme');
    expect(labels['org.opencontainers.image.version']).toBe('feature-Login-Page');
  });

  it('leaves out what the run does not know', () => {
    const context = {
      ...refContextOf('schedule'),
      repository: undefined,
      repositoryUrl: undefined,
      commitTime: undefined,
    };
    expect(Object.keys(imageLabels(context, undefined, {}))).toEqual([
      'org.opencontainers.image.revision',
      'build-test-push-action.source-ref',
    ]);
  });

  it('the labels input cannot replace the source ref', () => {
    const labels = imageLabels(refContextOf('tag-v1.2.3'), 'v1.2.3', {
      'build-test-push-action.source-ref': 'refs/heads/main',
    });
    expect(labels['build-test-push-action.source-ref']).toBe('refs/tags/v1.2.3');
  });
});

describe('baseLabels', () => {
  test.each([
    ['none for no base', undefined, {}],
    [
      'name and digest',
      { name: 'python:3.12', digest: 'sha256:1' },
      {
        'org.opencontainers.image.base.name': 'python:3.12',
        'org.opencontainers.image.base.digest': 'sha256:1',
      },
    ],
    [
      'the name alone when the digest is unknown',
      { name: 'python:3.12', digest: undefined },
      { 'org.opencontainers.image.base.name': 'python:3.12' },
    ],
  ])('%s', (_name, base, expected) => {
    expect(baseLabels(base)).toEqual(expected);
  });
});
