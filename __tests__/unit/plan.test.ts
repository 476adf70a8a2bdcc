import { formatCommand, makePlan, type PlanInput } from '../../src/plan.js';
import { Secret } from '../../src/secret.js';
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
  dockerConfig: '/tmp/job/docker-config',
});

const buildArgv = (head: string[]) => [
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
  '/ws',
];

const inspect = (kind: 'lookup' | 'verify', reference: string, env: Record<string, string>) => ({
  kind,
  reference,
  buildx: true,
  ...(kind === 'lookup' ? { labels, policy: 'fail' } : {}),
  command: {
    program: 'docker',
    args: ['buildx', 'imagetools', 'inspect', '--format', '{{json .}}', reference],
    env,
    timeoutSeconds: 60,
  },
});

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
        ...inspect('lookup', 'ghcr.io/acme/app:main', env),
        title: 'Check what ghcr.io/acme/app:main holds now',
      },
      {
        ...inspect('lookup', 'ghcr.io/acme/app:0123456', env),
        title: 'Check what ghcr.io/acme/app:0123456 holds now',
      },
      {
        kind: 'build',
        title: 'Build ghcr.io/acme/app:main, ghcr.io/acme/app:0123456 (buildx)',
        iidFile: '/tmp/job/image-id',
        command: {
          program: 'docker',
          args: buildArgv(['buildx', 'build', '--progress=plain', '--load']),
          cwd: '/ws',
          env: { ...env, BUILDKIT_PROGRESS: 'plain' },
        },
      },
      {
        kind: 'push',
        title: 'Push ghcr.io/acme/app:main',
        reference: 'ghcr.io/acme/app:main',
        registry: 'ghcr.io',
        loggedIn: true,
        command: { program: 'docker', args: ['push', 'ghcr.io/acme/app:main'], env, timeoutSeconds: 600 },
      },
      {
        kind: 'push',
        title: 'Push ghcr.io/acme/app:0123456',
        reference: 'ghcr.io/acme/app:0123456',
        registry: 'ghcr.io',
        loggedIn: true,
        command: { program: 'docker', args: ['push', 'ghcr.io/acme/app:0123456'], env, timeoutSeconds: 600 },
      },
      {
        ...inspect('verify', 'ghcr.io/acme/app:main', env),
        title: "Verify the registry's digest of ghcr.io/acme/app:main",
      },
      {
        ...inspect('verify', 'ghcr.io/acme/app:0123456', env),
        title: "Verify the registry's digest of ghcr.io/acme/app:0123456",
      },
    ]);
  });

  it('classic engine: docker build with DOCKER_BUILDKIT=0, same tags, labels and args', () => {
    const build = makePlan({ ...withEverything, engine: { buildx: false, serverVersion: '20.10' } }).find(
      (step) => step.kind === 'build',
    );
    expect(build?.title).toBe('Build ghcr.io/acme/app:main, ghcr.io/acme/app:0123456 (docker build)');
    expect(build?.command.args).toEqual(buildArgv(['build']));
    expect(build?.command.env).toEqual({ DOCKER_CONFIG: '/tmp/job/docker-config', DOCKER_BUILDKIT: '0' });
  });

  it.each([
    [
      'no test command, no credentials, push',
      {},
      ['lookup', 'lookup', 'build', 'push', 'push', 'verify', 'verify'],
    ],
    [
      'tests',
      { testCommand: 'make test' },
      ['test', 'lookup', 'lookup', 'build', 'push', 'push', 'verify', 'verify'],
    ],
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
      {},
      {},
      { BUILDKIT_PROGRESS: 'plain' },
      {},
      {},
      {},
      {},
    ]);
    expect(makePlan(withEverything)[0]?.command.env).toBeUndefined();
  });

  it('DOCKER_CONFIG is on every docker command when given', () => {
    const docker = makePlan(withEverything).filter((step) => step.command.program === 'docker');
    expect(docker).toHaveLength(8);
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
