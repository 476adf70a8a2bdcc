import { formatCommand, makePlan, type PlanInput } from '../../src/plan.js';
import { Secret } from '../../src/secret.js';
import type { Settings } from '../../src/settings.js';
import { SHA, settings } from './helpers.js';

const PASSWORD = 'hunter2-Pa55';
const labels = {
  'org.opencontainers.image.revision': SHA,
  'org.opencontainers.image.source': 'https://github.com/acme/app',
};

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    settings: settings(),
    engine: { buildx: true, serverVersion: '27.0.0' },
    references: ['ghcr.io/acme/app:main', 'ghcr.io/acme/app:0123456'],
    labels,
    cacheImages: [],
    jobDir: '/tmp/job',
    dockerConfig: undefined,
    ...overrides,
  };
}

const withEverything = input({
  settings: settings({
    testCommand: 'npm ci && npm test',
    credentials: { username: 'me', password: new Secret(PASSWORD) },
    buildArgs: ['A=1', 'URL=https://x?a=b'],
  }),
  cacheImages: ['ghcr.io/acme/app:main'],
  dockerConfig: '/tmp/job/docker-config',
});

const buildArgv = (head: string[], cache: string[]) => [
  ...head,
  '--file',
  '/ws/Dockerfile',
  '--iidfile',
  '/tmp/job/image-id',
  '--tag',
  'ghcr.io/acme/app:main',
  '--tag',
  'ghcr.io/acme/app:0123456',
  '--label',
  `org.opencontainers.image.revision=${SHA}`,
  '--label',
  'org.opencontainers.image.source=https://github.com/acme/app',
  '--build-arg',
  'A=1',
  '--build-arg',
  'URL=https://x?a=b',
  ...cache,
  '/ws',
];

describe('makePlan', () => {
  it('tests, login, buildx build, one push per reference, in order', () => {
    const env = { DOCKER_CONFIG: '/tmp/job/docker-config' };
    expect(makePlan(withEverything)).toEqual([
      {
        kind: 'test',
        title: 'Run tests',
        command: { program: 'bash', args: ['-eo', 'pipefail', '-c', 'npm ci && npm test'], cwd: '/ws' },
      },
      {
        kind: 'login',
        title: 'Log in to ghcr.io',
        registry: 'ghcr.io',
        command: {
          program: 'docker',
          args: ['login', '--username', 'me', '--password-stdin', 'ghcr.io'],
          env,
          stdin: withEverything.settings.credentials?.password,
        },
      },
      {
        kind: 'cache-pull',
        title: 'Pull cache image ghcr.io/acme/app:main',
        reference: 'ghcr.io/acme/app:main',
        fallback: false,
        command: { program: 'docker', args: ['pull', '--quiet', 'ghcr.io/acme/app:main'], env },
      },
      {
        kind: 'build',
        title: 'Build ghcr.io/acme/app:main, ghcr.io/acme/app:0123456 (buildx)',
        iidFile: '/tmp/job/image-id',
        output: 'load',
        metadataFile: '/tmp/job/build-metadata.json',
        pushes: [],
        command: {
          program: 'docker',
          args: buildArgv(
            ['buildx', 'build', '--progress=plain', '--load'],
            ['--cache-from', 'type=registry,ref=ghcr.io/acme/app:main', '--cache-to', 'type=inline'],
          ),
          cwd: '/ws',
          env: { ...env, BUILDKIT_PROGRESS: 'plain', BUILDX_GIT_INFO: '0' },
        },
      },
      {
        kind: 'push',
        title: 'Push ghcr.io/acme/app:main',
        reference: 'ghcr.io/acme/app:main',
        command: { program: 'docker', args: ['push', 'ghcr.io/acme/app:main'], env },
      },
      {
        kind: 'push',
        title: 'Push ghcr.io/acme/app:0123456',
        reference: 'ghcr.io/acme/app:0123456',
        command: { program: 'docker', args: ['push', 'ghcr.io/acme/app:0123456'], env },
      },
    ]);
  });

  it('classic engine: docker build with DOCKER_BUILDKIT=0, same tags, labels and args', () => {
    const build = makePlan({ ...withEverything, engine: { buildx: false, serverVersion: '20.10' } }).find(
      (step) => step.kind === 'build',
    );
    expect(build?.title).toBe('Build ghcr.io/acme/app:main, ghcr.io/acme/app:0123456 (docker build)');
    expect(build?.command.args).toEqual(buildArgv(['build'], ['--cache-from', 'ghcr.io/acme/app:main']));
    expect(build?.command.env).toEqual({ DOCKER_CONFIG: '/tmp/job/docker-config', DOCKER_BUILDKIT: '0' });
  });

  it.each([
    ['no test command, no credentials, push', {}, ['build', 'push', 'push']],
    ['tests', { testCommand: 'make test' }, ['test', 'build', 'push', 'push']],
    ['push=false: no push', { push: false }, ['build']],
    [
      'push=false keeps the login',
      { push: false, credentials: { username: 'u', password: new Secret('p') } },
      ['login', 'build'],
    ],
  ] as const)('steps: %s', (_label, overrides, kinds) => {
    expect(makePlan(input({ settings: settings(overrides) })).map((step) => step.kind)).toEqual(kinds);
  });

  it('Docker Hub login names no server', () => {
    const plan = makePlan(
      input({
        settings: settings({
          loginRegistry: undefined,
          credentials: { username: 'u', password: new Secret('p') },
        }),
      }),
    );
    expect(plan[0]).toMatchObject({
      kind: 'login',
      title: 'Log in to Docker Hub',
      registry: 'Docker Hub',
      command: { args: ['login', '--username', 'u', '--password-stdin'] },
    });
  });

  it('no DOCKER_CONFIG without a job docker config; tests never get one', () => {
    const plan = makePlan(input({ settings: settings({ testCommand: 'true' }) }));
    expect(plan.map((step) => step.command.env)).toEqual([
      undefined,
      { BUILDKIT_PROGRESS: 'plain', BUILDX_GIT_INFO: '0' },
      {},
      {},
    ]);
    expect(makePlan(withEverything)[0]?.command.env).toBeUndefined();
  });

  it('DOCKER_CONFIG is on every docker command when given', () => {
    const docker = makePlan(withEverything).filter((step) => step.command.program === 'docker');
    expect(docker).toHaveLength(5);
    for (const step of docker) expect(step.command.env?.DOCKER_CONFIG).toBe('/tmp/job/docker-config');
  });

  it('the context is the last argument, absolute', () => {
    const build = makePlan(input({ settings: settings({ context: '/ws/-' }) })).find(
      (s) => s.kind === 'build',
    );
    expect(build?.command.args.at(-1)).toBe('/ws/-');
  });

  it('the password is only ever on stdin', () => {
    const plan = makePlan(withEverything);
    for (const step of plan) {
      expect(step.command.args.some((arg) => arg.includes(PASSWORD))).toBe(false);
      expect(Object.values(step.command.env ?? {}).some((value) => value.includes(PASSWORD))).toBe(false);
      expect(formatCommand(step.command)).not.toContain(PASSWORD);
    }
    expect(JSON.stringify(plan)).not.toContain(PASSWORD);
    expect(plan.filter((step) => step.command.stdin !== undefined).map((step) => step.kind)).toEqual([
      'login',
    ]);
    expect(plan[1]?.command.stdin?.reveal()).toBe(PASSWORD);
  });
});

describe('makePlan: registry cache and buildx-only inputs', () => {
  const classic = { buildx: false, serverVersion: '20.10.24' };
  const cacheImages = ['ghcr.io/acme/app:feature', 'ghcr.io/acme/app:main'];

  it('classic: pulls the branch image, then the default branch as a fallback, before building', () => {
    const plan = makePlan({ ...withEverything, engine: classic, cacheImages });
    expect(plan.map((step) => step.kind)).toEqual([
      'test',
      'login',
      'cache-pull',
      'cache-pull',
      'build',
      'push',
      'push',
    ]);
    expect(plan.filter((step) => step.kind === 'cache-pull')).toEqual([
      {
        kind: 'cache-pull',
        title: 'Pull cache image ghcr.io/acme/app:feature',
        reference: 'ghcr.io/acme/app:feature',
        fallback: false,
        command: {
          program: 'docker',
          args: ['pull', '--quiet', 'ghcr.io/acme/app:feature'],
          env: { DOCKER_CONFIG: '/tmp/job/docker-config' },
        },
      },
      {
        kind: 'cache-pull',
        title: 'Pull cache image ghcr.io/acme/app:main',
        reference: 'ghcr.io/acme/app:main',
        fallback: true,
        command: {
          program: 'docker',
          args: ['pull', '--quiet', 'ghcr.io/acme/app:main'],
          env: { DOCKER_CONFIG: '/tmp/job/docker-config' },
        },
      },
    ]);
  });

  it('buildx on docker pulls too (a pulled image keeps its cache); other builders and multi-platform do not', () => {
    const pulls = (overrides: Partial<Settings>) =>
      makePlan({ ...withEverything, settings: settings(overrides), cacheImages }).filter(
        (step) => step.kind === 'cache-pull',
      ).length;
    expect(pulls({})).toBe(2);
    expect(pulls({ builder: 'remote' })).toBe(0);
    expect(pulls({ platforms: ['linux/amd64', 'linux/arm64'] })).toBe(0);
    expect(pulls({ platforms: ['linux/arm64'] })).toBe(2);
  });

  it('classic without cache images pulls nothing', () => {
    expect(
      makePlan({ ...withEverything, engine: classic, cacheImages: [] }).some(
        (step) => step.kind === 'cache-pull',
      ),
    ).toBe(false);
  });

  it('several platforms: the build pushes every reference; no docker push steps', () => {
    const plan = makePlan(input({ settings: settings({ platforms: ['linux/amd64', 'linux/arm64'] }) }));
    expect(plan.map((step) => step.kind)).toEqual(['build']);
    expect(plan[0]).toMatchObject({
      kind: 'build',
      output: 'push',
      metadataFile: '/tmp/job/build-metadata.json',
      pushes: ['ghcr.io/acme/app:main', 'ghcr.io/acme/app:0123456'],
    });
  });

  it('a builder that is a docker context: DOCKER_CONTEXT on every docker command, no --builder, pulls kept', () => {
    const plan = makePlan({
      ...withEverything,
      settings: settings({ builder: 'ci-daemon' }),
      cacheImages,
      dockerContext: 'ci-daemon',
    });
    expect(plan.map((step) => step.kind)).toEqual(['cache-pull', 'cache-pull', 'build', 'push', 'push']);
    for (const step of plan) expect(step.command.env?.DOCKER_CONTEXT).toBe('ci-daemon');
    expect(plan.find((step) => step.kind === 'build')?.command.args).not.toContain('--builder');
  });

  it('classic with a buildx-only input fails before anything runs', () => {
    expect(() => makePlan(input({ engine: classic, settings: settings({ cacheTo: ['type=gha'] }) }))).toThrow(
      'Input `cache-to`: needs docker buildx',
    );
  });
});

describe('formatCommand', () => {
  it.each([
    [{ program: 'docker', args: ['push', 'ghcr.io/acme/app:main'] }, 'docker push ghcr.io/acme/app:main'],
    [
      { program: 'bash', args: ['-eo', 'pipefail', '-c', 'npm test && echo ok'] },
      "bash -eo pipefail -c 'npm test && echo ok'",
    ],
    [
      { program: 'echo', args: ["it's", '', '$(rm -rf /)', '`id`', 'a;b'] },
      `echo 'it'\\''s' '' '$(rm -rf /)' '\`id\`' 'a;b'`,
    ],
    [
      { program: 'docker', args: ['build', '--label', 'k=v w'], env: { DOCKER_BUILDKIT: '0' } },
      "DOCKER_BUILDKIT=0 docker build --label 'k=v w'",
    ],
    [
      { program: 'docker', args: ['info'], env: { DOCKER_CONFIG: '/tmp/a b' } },
      "DOCKER_CONFIG='/tmp/a b' docker info",
    ],
    [
      {
        program: 'docker',
        args: ['login', '--username', 'me', '--password-stdin'],
        stdin: new Secret('hunter2'),
      },
      'docker login --username me --password-stdin <<< ***',
    ],
  ])('%j → %s', (command, line) => {
    expect(formatCommand(command)).toBe(line);
  });
});
