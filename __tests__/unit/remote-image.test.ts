import type { Engine } from '../../src/docker/engine-info.js';
import { parseRemoteImage } from '../../src/docker/remote-image.js';
import { isInsecureRegistry } from '../../src/plan/insecure-registries.js';
import { sourceRef, SOURCE_REF_LABEL, imageLabels } from '../../src/tags/labels.js';
import { refContext } from './helpers.js';

const DIGEST = 'sha256:0de31151e466845683dbbf7b15ce61dc8b242d504dc8abb6df1aedf0c26fc87b';

describe('parseRemoteImage', () => {
  it('imagetools inspect: digest and labels', () => {
    const stdout = JSON.stringify({
      name: 'r/a:one',
      manifest: { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: DIGEST },
      image: { config: { Labels: { a: 'b' } } },
    });
    expect(parseRemoteImage(stdout, 0, [], true)).toEqual({
      found: true,
      digest: DIGEST,
      labels: { a: 'b' },
    });
  });

  it('imagetools inspect of an index: the first platform’s labels; none gives {}', () => {
    const stdout = JSON.stringify({
      manifest: { digest: DIGEST },
      image: { 'linux/amd64': { config: { Labels: { a: 'b' } } }, 'linux/arm64': {} },
    });
    expect(parseRemoteImage(stdout, 0, [], true)).toMatchObject({ labels: { a: 'b' } });
    expect(
      parseRemoteImage(JSON.stringify({ manifest: { digest: DIGEST }, image: { config: {} } }), 0, [], true),
    ).toMatchObject({ labels: {} });
  });

  it('manifest inspect --verbose: the digest, labels unknown', () => {
    const stdout = JSON.stringify({ Ref: 'r/a:one', Descriptor: { digest: DIGEST, size: 737 } });
    expect(parseRemoteImage(stdout, 0, [], false)).toEqual({
      found: true,
      digest: DIGEST,
      labels: undefined,
      configDigest: undefined,
    });
  });

  it.each(['SchemaV2Manifest', 'OCIManifest'])(
    'manifest inspect --verbose: the config digest (the image id) from %s',
    (key) => {
      const config = `sha256:${'c'.repeat(64)}`;
      const stdout = JSON.stringify({
        Descriptor: { digest: DIGEST },
        [key]: { config: { digest: config } },
      });
      expect(parseRemoteImage(stdout, 0, [], false)).toMatchObject({ digest: DIGEST, configDigest: config });
    },
  );

  it.each([
    [true, 'ERROR: 127.0.0.1:21049/exp/c:nope: not found'],
    [false, 'no such manifest: 127.0.0.1:21049/exp/c:nope'],
  ])('a missing tag (buildx %s) is not found, not an error', (buildx, line) => {
    expect(parseRemoteImage('', 1, [line], buildx)).toEqual({ found: false });
  });

  it('any other failure throws docker’s message', () => {
    expect(() =>
      parseRemoteImage(
        '',
        1,
        ['ERROR: failed to do request: dial tcp 127.0.0.1:1: connect: connection refused'],
        true,
      ),
    ).toThrow('connection refused');
  });
});

describe('isInsecureRegistry', () => {
  const engine: Engine = { buildx: false, serverVersion: '20.10' };
  it.each([
    ['127.0.0.1:5000', engine, true],
    ['localhost:5000', engine, true],
    ['127.9.9.9', engine, true],
    ['ghcr.io', engine, false],
    ['10.0.0.5:5000', engine, false],
    ['10.0.0.5:5000', { ...engine, insecureRegistries: { hosts: [], cidrs: ['10.0.0.0/8'] } }, true],
    ['reg.lan:5000', { ...engine, insecureRegistries: { hosts: ['reg.lan:5000'], cidrs: [] } }, true],
    ['127.0.0.1:5000', { ...engine, insecureRegistries: { hosts: [], cidrs: [] } }, false],
    ['[::1]:5000', { ...engine, insecureRegistries: { hosts: [], cidrs: ['::1/128'] } }, true],
  ] as [string, Engine, boolean][])('%s → %s', (host, which, insecure) => {
    expect(isInsecureRegistry(host, which)).toBe(insecure);
  });
});

describe('the source-ref label', () => {
  it.each([
    [
      'git branch',
      refContext({ gitBranch: 'feature/a', ref: 'refs/heads/feature/a' }),
      'refs/heads/feature/a',
    ],
    ['tag', refContext({ gitBranch: undefined, ref: 'refs/tags/v1.2.3' }), 'refs/tags/v1.2.3'],
    [
      'pull request',
      refContext({
        gitBranch: undefined,
        ref: 'refs/pull/12/merge',
        eventName: 'pull_request',
        pullRequest: { number: 12, headRef: 'main', baseRef: 'main', fromFork: true },
      }),
      'refs/pull/12/merge',
    ],
    ['nothing names a ref', refContext({ gitBranch: undefined, ref: '' }), undefined],
  ])('%s → %s', (_name, context, ref) => {
    expect(sourceRef(context)).toBe(ref);
    expect(imageLabels(context, undefined, {})[SOURCE_REF_LABEL]).toBe(ref);
  });
});
