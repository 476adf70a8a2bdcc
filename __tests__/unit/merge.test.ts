import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import fc from 'fast-check';
import type { RemoteRead } from '../../src/registry/registry-reader.js';
import { indexDigest } from '../../src/execute/index-push.js';
import { type PlatformImageStep, problemWith, samePlatform } from '../../src/execute/platform-find.js';
import { INPUT_NAMES, type RawInputs } from '../../src/inputs/input-names.js';
import { parseInputs } from '../../src/inputs/parse-inputs.js';
import { imageAnnotations, indexAnnotations } from '../../src/inputs/annotation-levels.js';
import { indexWithoutKeptTags, makeMergePlan, type MergePlanInput } from '../../src/plan/merge-plan.js';
import type { Step } from '../../src/plan/plan.js';
import { platformImages, platformTag } from '../../src/tags/platform-tags.js';
import { TAG_PATTERN } from '../../src/shared/image-reference.js';
import { refContext as context, SHA, settings } from './helpers.js';

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

function raw(overrides: Partial<RawInputs> = {}): RawInputs {
  const defaults = Object.fromEntries(INPUT_NAMES.map((name) => [name, action.inputs[name]?.default ?? '']));
  return { ...(defaults as RawInputs), image: 'ghcr.io/acme/app', ...overrides };
}

describe('the merge input', () => {
  it.each([
    [{}, undefined],
    [{ merge: 'later', platforms: 'linux/arm64' }, { kind: 'later' }],
    [{ merge: 'LATER', platforms: 'linux/arm64' }, { kind: 'later' }],
    [{ merge: 'linux/amd64,linux/arm64' }, { kind: 'platforms', platforms: ['linux/amd64', 'linux/arm64'] }],
    [
      { merge: 'linux/amd64\nlinux/arm/v7\nlinux/amd64' },
      { kind: 'platforms', platforms: ['linux/amd64', 'linux/arm/v7'] },
    ],
  ] as const)('%j → %j', (inputs, merge) => {
    expect(parseInputs(raw(inputs), '/ws').settings.merge).toEqual(merge);
  });

  it.each([
    [
      { merge: 'later' },
      /Input `platforms`: is empty, but `merge: later` needs the platform this job builds/,
    ],
    [
      { merge: 'later', platforms: 'linux/arm64', push: 'false' },
      /Input `merge`: .*cannot go with `push: false`/,
    ],
    [{ merge: 'linux/amd64', push: 'false' }, /Input `merge`: .*cannot go with `push: false`/],
    [{ merge: 'amd64' }, /Input `merge`: "amd64" is not os\/arch\[\/variant\]/],
  ] as const)('%j is refused: %s', (inputs, message) => {
    expect(() => parseInputs(raw(inputs), '/ws')).toThrow(message);
  });

  it('a merge job names the build inputs it does not use in a notice', () => {
    const { notices } = parseInputs(
      raw({ merge: 'linux/amd64', 'test-command': 'npm test', platforms: 'linux/amd64' }),
      '/ws',
    );
    expect(notices).toEqual([
      'This job merges images the `merge: later` jobs built and tested; it builds nothing, so `test-command`, `platforms` are not used here.',
    ]);
  });
});

describe('platform tags', () => {
  it.each([
    ['main', 'linux/arm64', `main-${SHA.slice(0, 7)}-linux-arm64`],
    ['feature/login', 'linux/arm/v7', `feature-login-${SHA.slice(0, 7)}-linux-arm-v7`],
    [undefined, 'linux/amd64', `${SHA.slice(0, 7)}-linux-amd64`],
  ] as const)('ref %s, %s → %s', (ref, platform, tag) => {
    expect(platformTag(ref, SHA, platform)).toBe(tag);
  });

  it('is a valid tag that ends with the commit and platform, however long or odd the ref', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 300 }).filter((ref) => /[A-Za-z0-9_]/.test(ref)),
        (ref) => {
          const tag = platformTag(ref, SHA, 'linux/arm64');
          expect(tag).toMatch(TAG_PATTERN);
          expect(tag.endsWith(`-${SHA.slice(0, 7)}-linux-arm64`)).toBe(true);
        },
      ),
    );
  });

  it('two long refs sharing a prefix keep apart', () => {
    const long = 'x'.repeat(200);
    expect(platformTag(`${long}a`, SHA, 'linux/amd64')).not.toBe(platformTag(`${long}b`, SHA, 'linux/amd64'));
  });

  it('every repository gets every platform', () => {
    expect(
      platformImages(['r.io/a', 'r.io/b'], context(), ['linux/amd64', 'linux/arm64']).map(
        (image) => image.reference,
      ),
    ).toEqual([
      `r.io/a:main-${SHA.slice(0, 7)}-linux-amd64`,
      `r.io/a:main-${SHA.slice(0, 7)}-linux-arm64`,
      `r.io/b:main-${SHA.slice(0, 7)}-linux-amd64`,
      `r.io/b:main-${SHA.slice(0, 7)}-linux-arm64`,
    ]);
  });
});

describe('the commit a merge expects', () => {
  const HEAD = 'feedfacefeedfacefeedfacefeedfacefeedface';
  const pullRequest = context({
    eventName: 'pull_request',
    ref: 'refs/pull/7/merge',
    pullRequest: { number: 7, headRef: 'login', baseRef: 'main', headSha: HEAD, fromFork: false },
  });

  it.each([
    ['a push: the commit checked out', context(), SHA],
    ["a pull request: its head commit, as the platform job's revision label names it", pullRequest, HEAD],
  ])('%s', (_name, ref, revision) => {
    const images = platformImages(['r.io/a'], ref, ['linux/amd64', 'linux/arm64']);
    expect(images.map((image) => image.revision)).toEqual([revision, revision]);
    // The platform tag keeps the commit both jobs check out (GITHUB_SHA).
    expect(images[0]?.reference).toContain(`-${SHA.slice(0, 7)}-linux-amd64`);
    const finds = makeMergePlan(mergeInput({ platformImages: images })).filter(
      (step) => step.kind === 'platform-image',
    );
    expect(finds.map((step) => step.revision)).toEqual([revision, revision]);
  });
});

describe('annotation levels', () => {
  const lines = [
    'org.example.plain=1',
    'index:org.example.index=2',
    'manifest:org.example.manifest=3',
    'index,manifest:org.example.both=4',
    'manifest-descriptor[linux/amd64]:org.example.descriptor=5',
  ];
  it('the merge writes the index levels', () => {
    expect(indexAnnotations(lines)).toEqual([
      'index:org.example.index=2',
      'index:org.example.both=4',
      'manifest-descriptor[linux/amd64]:org.example.descriptor=5',
    ]);
  });
  it('the platform jobs write the rest', () => {
    expect(imageAnnotations(lines)).toEqual([
      'org.example.plain=1',
      'manifest:org.example.manifest=3',
      'manifest:org.example.both=4',
    ]);
  });
});

function mergeInput(overrides: Partial<MergePlanInput> = {}): MergePlanInput {
  const images = ['ghcr.io/acme/app'];
  return {
    settings: settings({ merge: { kind: 'platforms', platforms: ['linux/amd64', 'linux/arm64'] } }),
    engine: { buildx: true, serverVersion: '28.5.0' },
    references: ['ghcr.io/acme/app:main', 'ghcr.io/acme/app:latest'],
    labels: { 'org.opencontainers.image.revision': SHA },
    jobDir: '/tmp/job',
    dockerConfig: '/tmp/job/docker-config',
    testContainer: 'unused',
    platformImages: platformImages(images, context(), ['linux/amd64', 'linux/arm64']),
    ...overrides,
  };
}

describe('makeMergePlan', () => {
  const short = SHA.slice(0, 7);
  it('finds every platform image, checks the tags, pushes one index, reads it back', () => {
    const steps = makeMergePlan(mergeInput());
    expect(steps.map((step) => step.kind)).toEqual([
      'platform-image',
      'platform-image',
      'lookup',
      'lookup',
      'index',
      'verify',
      'verify',
    ]);
    const index = steps.find((step): step is Step & { kind: 'index' } => step.kind === 'index');
    const sources = [
      `ghcr.io/acme/app:main-${short}-linux-amd64`,
      `ghcr.io/acme/app:main-${short}-linux-arm64`,
    ];
    expect(index?.command.args).toEqual([
      'buildx',
      'imagetools',
      'create',
      '--tag',
      'ghcr.io/acme/app:main',
      '--tag',
      'ghcr.io/acme/app:latest',
      ...sources,
    ]);
    expect(index?.preview.args).toEqual(['buildx', 'imagetools', 'create', '--dry-run', ...sources]);
    expect(index?.command.timeoutSeconds).toBe(600);
    expect(index?.command.env).toEqual({ DOCKER_CONFIG: '/tmp/job/docker-config' });
  });

  it('index annotations go to both the push and its preview, the others stay with the platform jobs', () => {
    const steps = makeMergePlan(
      mergeInput({
        settings: settings({
          merge: { kind: 'platforms', platforms: ['linux/amd64'] },
          annotations: ['index:org.example.a=1', 'manifest:org.example.b=2'],
        }),
      }),
    );
    const index = steps.find((step): step is Step & { kind: 'index' } => step.kind === 'index');
    for (const command of [index?.command, index?.preview]) {
      expect(command?.args.filter((arg, i, all) => all[i - 1] === '--annotation')).toEqual([
        'index:org.example.a=1',
      ]);
    }
  });

  it('one index per repository, each from its own platform images', () => {
    const images = ['ghcr.io/acme/app', 'docker.io/acme/app'];
    const steps = makeMergePlan(
      mergeInput({
        settings: settings({ images, merge: { kind: 'platforms', platforms: ['linux/amd64'] } }),
        references: ['ghcr.io/acme/app:main', 'docker.io/acme/app:main'],
        platformImages: platformImages(images, context(), ['linux/amd64']),
      }),
    );
    const indexes = steps.filter((step): step is Step & { kind: 'index' } => step.kind === 'index');
    expect(indexes.map((step) => step.command.args.slice(3))).toEqual([
      ['--tag', 'ghcr.io/acme/app:main', `ghcr.io/acme/app:main-${short}-linux-amd64`],
      ['--tag', 'docker.io/acme/app:main', `docker.io/acme/app:main-${short}-linux-amd64`],
    ]);
  });

  it('the lookups carry the moving tags, so a newer release keeps latest and 1 in a merge job too', () => {
    const motions = new Map([['ghcr.io/acme/app:latest', 'release' as const]]);
    const lookups = makeMergePlan(mergeInput({ motions })).filter((step) => step.kind === 'lookup');
    expect(lookups.map((step) => [step.reference, step.moves])).toEqual([
      ['ghcr.io/acme/app:main', undefined],
      ['ghcr.io/acme/app:latest', 'release'],
    ]);
  });

  it('a moving tag the lookups kept leaves the index push; none left, no push', () => {
    const index = makeMergePlan(mergeInput()).find(
      (step): step is Step & { kind: 'index' } => step.kind === 'index',
    );
    if (index === undefined) throw new Error('no index step');
    const [pushed] = indexWithoutKeptTags(index, ['ghcr.io/acme/app:latest']);
    expect(pushed?.kind === 'index' && pushed.references).toEqual(['ghcr.io/acme/app:main']);
    expect(
      pushed?.kind === 'index' && pushed.command.args.filter((arg, i, all) => all[i - 1] === '--tag'),
    ).toEqual(['ghcr.io/acme/app:main']);
    expect(indexWithoutKeptTags(index, [])).toEqual([index]);
    expect(indexWithoutKeptTags(index, ['ghcr.io/acme/app:main', 'ghcr.io/acme/app:latest'])).toEqual([]);
  });

  it('the classic builder cannot merge: the error names the input and the fix', () => {
    expect(() => makeMergePlan(mergeInput({ engine: { buildx: false, serverVersion: '20.10.0' } }))).toThrow(
      /Input `merge`: .*install the buildx plugin/,
    );
  });
});

describe('what a merge job finds', () => {
  const step: PlatformImageStep = {
    kind: 'platform-image',
    title: 'find',
    reference: 'r.io/a:main-0123456-linux-arm64',
    platform: 'linux/arm64',
    revision: SHA,
    remote: { dockerConfig: undefined, insecure: false, labels: false, platforms: true, timeoutSeconds: 60 },
  };

  it.each([
    ['linux/arm64', 'linux/arm64', true],
    ['linux/arm64', 'linux/arm64/v8', true],
    ['linux/arm64/v8', 'linux/arm64', true],
    ['linux/arm', 'linux/arm/v7', true],
    ['linux/arm/v6', 'linux/arm/v7', false],
    ['linux/amd64', 'linux/arm64', false],
  ] as const)('%s wanted, %s found: %s', (wanted, found, same) => {
    expect(samePlatform(wanted, found)).toBe(same);
  });

  const holding = (platform: string, commit: string): RemoteRead => ({
    kind: 'found',
    digest: 'sha256:1',
    configDigest: undefined,
    labels: undefined,
    images: [{ platform, labels: { 'org.opencontainers.image.revision': commit } }],
  });
  it.each<[RemoteRead, string | undefined]>([
    [{ kind: 'missing' }, 'r.io/a:main-0123456-linux-arm64 does not exist'],
    [{ kind: 'unknown', reason: 'HTTP 500' }, 'r.io/a:main-0123456-linux-arm64 could not be read: HTTP 500'],
    [holding('linux/amd64', SHA), 'r.io/a:main-0123456-linux-arm64 holds linux/amd64, not linux/arm64'],
    [
      holding('linux/arm64', 'f'.repeat(40)),
      `r.io/a:main-0123456-linux-arm64 holds an image of commit ${'f'.repeat(40)}, not of ${SHA}`,
    ],
    [holding('linux/arm64', SHA), undefined],
  ])('%j → %s', (listing, problem) => {
    expect(problemWith(step, listing)).toBe(problem);
  });

  it('the index digest is that of the bytes imagetools pushes, without its trailing newline', () => {
    expect(indexDigest('{}\n')).toBe(
      'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    );
    expect(indexDigest('{}')).toBe(indexDigest('{}\n'));
  });
});
