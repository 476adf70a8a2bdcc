import {
  type CommandStep,
  formatCommand,
  IMAGE_ID_PLACEHOLDER,
  makePlan,
  removeContainerCommand,
  type PlanInput,
  type Step,
  withImageId,
  withoutCacheFrom,
} from '../../src/plan/plan.js';
import { Secret } from '../../src/shared/secret.js';
import type { InImageTest, Settings } from '../../src/inputs/settings.js';
import { SHA, settings } from './helpers.js';

/** The steps that run a command: all but the registry reads. */
const commandSteps = (plan: Step[]): CommandStep[] =>
  plan.filter((step): step is CommandStep => step.kind !== 'lookup' && step.kind !== 'verify');

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
    testContainer: 'build-test-push-in-image-1234',
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

const inspect = (kind: 'lookup' | 'verify', reference: string, env: Record<string, string>) => ({
  kind,
  reference,
  ...(kind === 'lookup' ? { labels, policy: 'fail' } : {}),
  remote: {
    dockerConfig: env.DOCKER_CONFIG,
    insecure: false,
    labels: kind === 'lookup',
    timeoutSeconds: 60,
  },
});

/** The cache pull the plan makes for `reference`, with this job's login. */
const cachePull = (reference: string, fallback: boolean) => {
  const env = { DOCKER_CONFIG: '/tmp/job/docker-config' };
  return {
    kind: 'cache-pull',
    title: `Pull cache image ${reference}`,
    reference,
    fallback,
    command: { program: 'docker', args: ['pull', '--quiet', reference], env },
    localCheck: { program: 'docker', args: ['image', 'inspect', '--format', '{{.Id}}', reference], env },
  };
};

describe('makePlan', () => {
  it('up to date (`rebuild: base-changed`, base unchanged): nothing to run, not even the tests', () => {
    expect(makePlan({ ...withEverything, upToDate: true })).toEqual([]);
    expect(makePlan({ ...withEverything, upToDate: false })).toEqual(makePlan(withEverything));
  });

  it('a base to pull anew: the build gets --pull, the other steps stay', () => {
    const plain = makePlan(withEverything);
    const pulled = makePlan({ ...withEverything, pullBase: true });
    expect(pulled.map((step) => step.kind)).toEqual(plain.map((step) => step.kind));
    const build = (steps: Step[]) => steps.find((step) => step.kind === 'build')?.command.args ?? [];
    expect(build(pulled).filter((arg) => !build(plain).includes(arg))).toEqual(['--pull']);
  });

  it('tests, login, buildx build, one push per reference, in order', () => {
    const env = { DOCKER_CONFIG: '/tmp/job/docker-config' };
    expect(makePlan(withEverything)).toEqual([
      {
        kind: 'test',
        title: 'Run tests',
        command: {
          program: 'bash',
          args: ['-eo', 'pipefail', '-c', 'npm ci && npm test'],
          cwd: '/ws',
          sessionFile: '/tmp/job/test-session',
        },
      },
      {
        kind: 'login',
        title: 'Log in to ghcr.io',
        registry: 'ghcr.io',
        source: '`username`/`password`',
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
      cachePull('ghcr.io/acme/app:main', false),
      {
        kind: 'build',
        title: 'Build ghcr.io/acme/app:main, ghcr.io/acme/app:0123456 (buildx)',
        iidFile: '/tmp/job/image-id',
        output: 'load',
        metadataFile: '/tmp/job/build-metadata.json',
        notReproducible: 'git could not tell the commit time, so the image carries the build time',
        pushes: [],
        cacheImages: ['ghcr.io/acme/app:main'],
        classic: false,
        command: {
          program: 'docker',
          args: buildArgv(
            [
              'buildx',
              'build',
              '--progress=plain',
              '--load',
              '--metadata-file',
              '/tmp/job/build-metadata.json',
            ],
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
    expect(build?.command.args).toEqual(buildArgv(['build'], ['--cache-from', 'ghcr.io/acme/app:main']));
    expect(build?.command.env).toEqual({ DOCKER_CONFIG: '/tmp/job/docker-config', DOCKER_BUILDKIT: '0' });
  });

  it('classic engine with labels: the build reads the labelled copy of the Dockerfile, without --label', () => {
    const labelled = '/tmp/job/Dockerfile.labelled';
    const build = makePlan({
      ...withEverything,
      engine: { buildx: false, serverVersion: '20.10' },
      labelledDockerfile: labelled,
    }).find((step) => step.kind === 'build');
    expect(build?.command.args.slice(0, 3)).toEqual(['build', '--file', labelled]);
    expect(build?.command.args).not.toContain('--label');
    const buildx = makePlan({ ...withEverything, labelledDockerfile: labelled }).find(
      (step) => step.kind === 'build',
    );
    expect(buildx?.command.args).not.toContain(labelled);
    expect(buildx?.command.args).toContain('--label');
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
    expect(commandSteps(plan).map((step) => step.command.env)).toEqual([
      undefined,
      { BUILDKIT_PROGRESS: 'plain', BUILDX_GIT_INFO: '0' },
      {},
      {},
    ]);
    expect(commandSteps(makePlan(withEverything))[0]?.command.env).toBeUndefined();
  });

  it('DOCKER_CONFIG is on every docker command when given', () => {
    const docker = commandSteps(makePlan(withEverything)).filter((step) => step.command.program === 'docker');
    expect(docker).toHaveLength(5);
    for (const step of docker) expect(step.command.env?.DOCKER_CONFIG).toBe('/tmp/job/docker-config');
  });

  it('the context is the last argument, absolute', () => {
    const build = makePlan(input({ settings: settings({ context: '/ws/-' }) })).find(
      (s) => s.kind === 'build',
    );
    expect(build?.kind === 'build' && build.command.args.at(-1)).toBe('/ws/-');
  });

  it('the password is only ever on stdin', () => {
    const plan = makePlan(withEverything);
    for (const step of commandSteps(plan)) {
      expect(step.command.args.some((arg) => arg.includes(PASSWORD))).toBe(false);
      expect(Object.values(step.command.env ?? {}).some((value) => value.includes(PASSWORD))).toBe(false);
      expect(formatCommand(step.command)).not.toContain(PASSWORD);
    }
    expect(JSON.stringify(plan)).not.toContain(PASSWORD);
    expect(
      commandSteps(plan)
        .filter((step) => step.command.stdin !== undefined)
        .map((step) => step.kind),
    ).toEqual(['login']);
    expect(plan[1]?.kind === 'login' && plan[1].command.stdin?.reveal()).toBe(PASSWORD);
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
      'lookup',
      'lookup',
      'cache-pull',
      'cache-pull',
      'build',
      'push',
      'push',
      'verify',
      'verify',
    ]);
    expect(plan.filter((step) => step.kind === 'cache-pull')).toEqual([
      cachePull('ghcr.io/acme/app:feature', false),
      cachePull('ghcr.io/acme/app:main', true),
    ]);
    const build = plan.find((step) => step.kind === 'build');
    expect(build?.kind === 'build' ? build.cacheImages : undefined).toEqual(cacheImages);
    const args = build?.kind === 'build' ? withoutCacheFrom(build, cacheImages).args : [];
    const pairs = cacheImages.map((reference) => ` --cache-from ${reference}`);
    const original = build?.command.args.join(' ') ?? '';
    expect(pairs.every((pair) => original.includes(pair))).toBe(true);
    expect(args.join(' ')).toBe(pairs.reduce((line, pair) => line.replace(pair, ''), original));
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
    expect(plan.map((step) => step.kind)).toEqual(['lookup', 'lookup', 'build', 'verify', 'verify']);
    expect(plan.find((step) => step.kind === 'build')).toMatchObject({
      kind: 'build',
      output: 'push',
      metadataFile: '/tmp/job/build-metadata.json',
      pushes: ['ghcr.io/acme/app:main', 'ghcr.io/acme/app:0123456'],
      pushTimeoutSeconds: 600,
      command: { sessionFile: '/tmp/job/build-session' },
    });
  });

  it('a build that docker pushes afterwards has no push deadline and no session of its own', () => {
    const build = makePlan(input()).find((step) => step.kind === 'build');
    expect(build).not.toHaveProperty('pushTimeoutSeconds');
    expect(build?.command).not.toHaveProperty('sessionFile');
  });

  it('a builder that is a docker context: DOCKER_CONTEXT on every docker command, no --builder, pulls kept', () => {
    const plan = makePlan({
      ...withEverything,
      settings: settings({ builder: 'ci-daemon' }),
      cacheImages,
      dockerContext: 'ci-daemon',
    });
    expect(plan.map((step) => step.kind)).toEqual([
      'lookup',
      'lookup',
      'cache-pull',
      'cache-pull',
      'build',
      'push',
      'push',
      'verify',
      'verify',
    ]);
    for (const step of commandSteps(plan)) expect(step.command.env?.DOCKER_CONTEXT).toBe('ci-daemon');
    expect(commandSteps(plan).find((step) => step.kind === 'build')?.command.args).not.toContain('--builder');
  });

  it('several platforms with test-in-image fails: the image is never in docker to test', () => {
    const shellTest: InImageTest = { command: { form: 'shell', script: 'true' }, env: [] };
    expect(() =>
      makePlan(
        input({ settings: settings({ platforms: ['linux/amd64', 'linux/arm64'], testInImage: shellTest }) }),
      ),
    ).toThrow('Input `platforms`: with several platforms the image is pushed by buildx');
  });

  it('classic with a buildx-only input fails before anything runs', () => {
    expect(() => makePlan(input({ engine: classic, settings: settings({ cacheTo: ['type=gha'] }) }))).toThrow(
      'Input `cache-to`: needs docker buildx',
    );
  });
});

describe('the in-image test', () => {
  const NAME = 'build-test-push-in-image-1234';
  const shell: InImageTest = {
    command: { form: 'shell', script: 'python -m app --version' },
    env: ['PYTHONFAULTHANDLER=1'],
  };
  const run = (...options: string[]) => [
    'run',
    '--rm',
    '--name',
    NAME,
    '--pull',
    'never',
    '--network',
    'none',
    ...options,
  ];

  function inImageStep(overrides: Partial<PlanInput> = {}): Step & { kind: 'test-in-image' } {
    const step = makePlan(input({ settings: settings({ testInImage: shell }), ...overrides })).find(
      (s) => s.kind === 'test-in-image',
    );
    if (step?.kind !== 'test-in-image') throw new Error('no test-in-image step');
    return step;
  }

  it('shell form: /bin/sh -e -c as the entrypoint, env lines, the image id placeholder', () => {
    expect(inImageStep()).toEqual({
      kind: 'test-in-image',
      title: 'Test inside the built image',
      container: NAME,
      imageArg: 12,
      cleanup: { program: 'docker', args: ['rm', '--force', NAME], env: {} },
      command: {
        program: 'docker',
        args: [
          ...run('--entrypoint', '/bin/sh', '--env', 'PYTHONFAULTHANDLER=1'),
          IMAGE_ID_PLACEHOLDER,
          '-e',
          '-c',
          'python -m app --version',
        ],
        env: {},
      },
    });
  });

  it.each([
    [['/app/server'], ['--entrypoint', '/app/server'], []],
    [['/app/server', '--version'], ['--entrypoint', '/app/server'], ['--version']],
    [
      ['python', '-c', 'import app; print(1)'],
      ['--entrypoint', 'python'],
      ['-c', 'import app; print(1)'],
    ],
    // an argument that looks like the placeholder or an option stays an argument of the program
    [
      ['/bin/echo', IMAGE_ID_PLACEHOLDER, '--rm'],
      ['--entrypoint', '/bin/echo'],
      [IMAGE_ID_PLACEHOLDER, '--rm'],
    ],
  ] as const)('exec form %j: the program as entrypoint, the rest after the image', (argv, entry, args) => {
    const step = inImageStep({
      settings: settings({ testInImage: { command: { form: 'exec', argv: [...argv] }, env: [] } }),
    });
    expect(step.command.args).toEqual([...run(...entry), IMAGE_ID_PLACEHOLDER, ...args]);
    expect(step.command.args[step.imageArg]).toBe(IMAGE_ID_PLACEHOLDER);
  });

  it.each([
    [[], []],
    [['PYTHONFAULTHANDLER=1'], ['--env', 'PYTHONFAULTHANDLER=1']],
    [
      ['PYTHONFAULTHANDLER=', 'DSN=a=b c', 'A=$(id)'],
      ['--env', 'PYTHONFAULTHANDLER=', '--env', 'DSN=a=b c', '--env', 'A=$(id)'],
    ],
  ])('env %j → %j, before the image', (env, options) => {
    const step = inImageStep({ settings: settings({ testInImage: { ...shell, env } }) });
    expect(step.command.args.slice(0, step.imageArg)).toEqual(run('--entrypoint', '/bin/sh', ...options));
  });

  it('never a mount, a user, a port, a privilege or the host network', () => {
    const args = inImageStep().command.args.slice(0, inImageStep().imageArg);
    for (const flag of ['-v', '--volume', '--mount', '-u', '--user', '-p', '--privileged', '--cap-add'])
      expect(args).not.toContain(flag);
    expect(args.join(' ')).toContain('--network none');
  });

  it.each([
    [
      'push',
      {},
      [
        'test',
        'login',
        'lookup',
        'lookup',
        'cache-pull',
        'build',
        'test-in-image',
        'push',
        'push',
        'verify',
        'verify',
      ],
    ],
    [
      'push=false still tests the image',
      { push: false },
      ['test', 'login', 'cache-pull', 'build', 'test-in-image'],
    ],
  ] as const)('order: %s', (_label, overrides, kinds) => {
    const plan = makePlan({
      ...withEverything,
      settings: { ...withEverything.settings, testInImage: shell, ...overrides },
    });
    expect(plan.map((step) => step.kind)).toEqual(kinds);
  });

  it('DOCKER_CONFIG on the run and the cleanup when the job logs in', () => {
    const step = inImageStep({ dockerConfig: '/tmp/job/docker-config' });
    expect(step.command.env).toEqual({ DOCKER_CONFIG: '/tmp/job/docker-config' });
    expect(step.cleanup.env).toEqual({ DOCKER_CONFIG: '/tmp/job/docker-config' });
  });

  it('withImageId fills in the id by position, leaving everything else as it was', () => {
    const step = inImageStep({
      settings: settings({
        testInImage: { command: { form: 'exec', argv: ['/bin/echo', IMAGE_ID_PLACEHOLDER] }, env: [] },
      }),
    });
    const command = withImageId(step, 'sha256:feed');
    expect(command.args).toEqual([...run('--entrypoint', '/bin/echo'), 'sha256:feed', IMAGE_ID_PLACEHOLDER]);
    expect(command.env).toBe(step.command.env);
    expect(step.command.args[step.imageArg]).toBe(IMAGE_ID_PLACEHOLDER);
  });

  it('the printed plan shows the placeholder', () => {
    expect(formatCommand(inImageStep().command)).toBe(
      `docker run --rm --name ${NAME} --pull never --network none --entrypoint /bin/sh --env PYTHONFAULTHANDLER=1 '<image-id>' -e -c 'python -m app --version'`,
    );
  });

  it('removeContainerCommand', () => {
    expect(removeContainerCommand('x')).toEqual({ program: 'docker', args: ['rm', '--force', 'x'], env: {} });
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
    [
      { program: 'docker', args: ['build', '--file', '/tmp/job/Dockerfile.labelled', '/ws'] },
      'docker build --file /tmp/job/Dockerfile.labelled /ws',
    ],
  ])('%j → %s', (command, line) => {
    expect(formatCommand(command)).toBe(line);
  });
});
