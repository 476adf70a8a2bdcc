import { buildArgs, buildOutput, checkBuilderSupport } from '../../src/plan/build-command.js';
import type { Engine } from '../../src/docker/engine-info.js';
import type { Settings } from '../../src/inputs/settings.js';
import { settings } from './helpers.js';

const BUILDX: Engine = { buildx: true, serverVersion: '27.0.0' };
const CLASSIC: Engine = { buildx: false, serverVersion: '20.10.24' };
const CACHE = ['ghcr.io/acme/app:feature', 'ghcr.io/acme/app:main'];

function argv(overrides: Partial<Settings>, engine = BUILDX, cacheImages = CACHE): string[] {
  return buildArgs({
    settings: settings(overrides),
    engine,
    references: ['ghcr.io/acme/app:feature'],
    labels: {},
    cacheImages,
    iidFile: '/job/image-id',
    metadataFile: '/job/build-metadata.json',
  });
}

const TAIL = ['--file', '/ws/Dockerfile', '--iidfile', '/job/image-id', '--tag', 'ghcr.io/acme/app:feature'];
const REGISTRY_CACHE = [
  '--cache-from',
  'type=registry,ref=ghcr.io/acme/app:feature',
  '--cache-from',
  'type=registry,ref=ghcr.io/acme/app:main',
];

describe('buildArgs', () => {
  it.each<[string, Partial<Settings>, string[]]>([
    [
      'default: registry cache in, inline cache out',
      {},
      [
        'buildx',
        'build',
        '--progress=plain',
        '--load',
        '--metadata-file',
        '/job/build-metadata.json',
        ...TAIL,
        ...REGISTRY_CACHE,
        '--cache-to',
        'type=inline',
        '/ws',
      ],
    ],
    [
      'cache-from adds sources after the registry images',
      { cacheFrom: ['type=gha', 'type=local,src=/tmp/c'] },
      [
        'buildx',
        'build',
        '--progress=plain',
        '--load',
        '--metadata-file',
        '/job/build-metadata.json',
        ...TAIL,
        ...REGISTRY_CACHE,
        '--cache-from',
        'type=gha',
        '--cache-from',
        'type=local,src=/tmp/c',
        '--cache-to',
        'type=inline',
        '/ws',
      ],
    ],
    [
      'cache-to replaces the inline export',
      { cacheTo: ['type=registry,ref=ghcr.io/acme/app:buildcache,mode=max'] },
      [
        'buildx',
        'build',
        '--progress=plain',
        '--load',
        '--metadata-file',
        '/job/build-metadata.json',
        ...TAIL,
        ...REGISTRY_CACHE,
        '--cache-to',
        'type=registry,ref=ghcr.io/acme/app:buildcache,mode=max',
        '/ws',
      ],
    ],
    [
      'a named builder and one platform: still loaded into docker',
      { builder: 'remote', platforms: ['linux/arm64'] },
      [
        'buildx',
        'build',
        '--builder',
        'remote',
        '--progress=plain',
        '--load',
        '--metadata-file',
        '/job/build-metadata.json',
        '--platform',
        'linux/arm64',
        ...TAIL,
        ...REGISTRY_CACHE,
        '--cache-to',
        'type=inline',
        '/ws',
      ],
    ],
    [
      'several platforms: buildx pushes and records the digest',
      { platforms: ['linux/amd64', 'linux/arm64'] },
      [
        'buildx',
        'build',
        '--progress=plain',
        '--push',
        '--metadata-file',
        '/job/build-metadata.json',
        '--platform',
        'linux/amd64,linux/arm64',
        ...TAIL,
        ...REGISTRY_CACHE,
        '--cache-to',
        'type=inline',
        '/ws',
      ],
    ],
    [
      'several platforms without push: built, neither loaded nor pushed',
      { platforms: ['linux/amd64', 'linux/arm64'], push: false },
      [
        'buildx',
        'build',
        '--progress=plain',
        '--metadata-file',
        '/job/build-metadata.json',
        '--platform',
        'linux/amd64,linux/arm64',
        ...TAIL,
        ...REGISTRY_CACHE,
        '--cache-to',
        'type=inline',
        '/ws',
      ],
    ],
  ])('buildx, %s', (_label, overrides, expected) => {
    expect(argv(overrides)).toEqual(expected);
  });

  it('buildx with cache: false and no cache images: no cache flags at all', () => {
    expect(argv({ cache: false }, BUILDX, [])).toEqual([
      'buildx',
      'build',
      '--progress=plain',
      '--load',
      '--metadata-file',
      '/job/build-metadata.json',
      ...TAIL,
      '/ws',
    ]);
  });

  it('classic: the pulled images as --cache-from, nothing BuildKit-only', () => {
    expect(argv({}, CLASSIC)).toEqual([
      'build',
      ...TAIL,
      '--cache-from',
      'ghcr.io/acme/app:feature',
      '--cache-from',
      'ghcr.io/acme/app:main',
      '/ws',
    ]);
  });
});

describe('labels', () => {
  const input = (engine: Engine) => ({
    settings: settings({}),
    engine,
    references: ['ghcr.io/acme/app:feature'],
    labels: { 'org.opencontainers.image.revision': 'abc123' },
    cacheImages: [],
    iidFile: '/job/image-id',
    metadataFile: '/job/build-metadata.json',
    labelledDockerfile: '/job/Dockerfile.labelled',
  });

  it('buildx: one --label each (BuildKit sets them all at once), the Dockerfile as given', () => {
    const args = buildArgs(input(BUILDX));
    expect(args.slice(args.indexOf('--file'), args.indexOf('--file') + 2)).toEqual([
      '--file',
      '/ws/Dockerfile',
    ]);
    expect(args).toEqual(expect.arrayContaining(['--label', 'org.opencontainers.image.revision=abc123']));
  });

  it("classic: the job folder's labelled copy of the Dockerfile and no --label (each would be a step)", () => {
    const args = buildArgs(input(CLASSIC));
    expect(args.slice(0, 3)).toEqual(['build', '--file', '/job/Dockerfile.labelled']);
    expect(args).not.toContain('--label');
    expect(args).not.toContain('/ws/Dockerfile');
  });
});

describe('buildOutput', () => {
  it.each<[Engine, Partial<Settings>, string]>([
    [BUILDX, {}, 'load'],
    [BUILDX, { platforms: ['linux/amd64'] }, 'load'],
    [BUILDX, { platforms: ['linux/amd64', 'linux/arm64'] }, 'push'],
    [BUILDX, { platforms: ['linux/amd64', 'linux/arm64'], push: false }, 'none'],
    [CLASSIC, {}, 'load'],
    [CLASSIC, { push: false }, 'load'],
  ])('%j %j → %s', (engine, overrides, output) => {
    expect(buildOutput(settings(overrides), engine)).toBe(output);
  });
});

describe('checkBuilderSupport', () => {
  // Each buildx-only input's error on the classic builder: __tests__/unit/build-flags.test.ts.
  it('buildx takes all of them; classic takes the defaults (registry cache included)', () => {
    const everything = settings({
      cacheFrom: ['type=gha'],
      cacheTo: ['type=gha'],
      builder: 'remote',
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect(() => {
      checkBuilderSupport(everything, BUILDX);
    }).not.toThrow();
    expect(() => {
      checkBuilderSupport(settings(), CLASSIC);
    }).not.toThrow();
  });
});

describe('pulling the base anew', () => {
  const withPull = (engine: Engine, pullBase: boolean | undefined, pull = false): string[] =>
    buildArgs({
      settings: settings({ pull }),
      engine,
      references: ['ghcr.io/acme/app:feature'],
      labels: {},
      iidFile: '/job/image-id',
      metadataFile: '/job/build-metadata.json',
      pullBase,
    });
  const pulls = (args: string[]): number => args.filter((arg) => arg === '--pull').length;

  it.each([
    ['buildx', BUILDX],
    ['docker build', CLASSIC],
  ])('%s gets one --pull for a base pulled anew, the pull input, or both', (_name, engine) => {
    expect(pulls(withPull(engine, true))).toBe(1);
    expect(pulls(withPull(engine, false, true))).toBe(1);
    expect(pulls(withPull(engine, true, true))).toBe(1);
    expect(withPull(engine, true).at(-1)).toBe(withPull(engine, false).at(-1)); // the context stays last
  });

  it.each([
    ['buildx', BUILDX],
    ['docker build', CLASSIC],
  ])('%s pulls nothing unless asked', (_name, engine) => {
    expect(withPull(engine, undefined)).not.toContain('--pull');
    expect(withPull(engine, false)).not.toContain('--pull');
  });
});
