import type { Engine } from '../../src/docker/engine-info.js';
import { InputError } from '../../src/shared/errors.js';
import { Secret } from '../../src/shared/secret.js';
import type { Settings } from '../../src/inputs/settings.js';
import { buildArgs, buildOutput, checkBuilderSupport } from '../../src/plan/build-command.js';
import { buildxOnlyFlags, commonBuildFlags, secretEnvironment } from '../../src/plan/build-flags.js';
import { formatCommand, makePlan, type Step } from '../../src/plan/plan.js';
import { buildOptionFacts } from '../../src/report/build-options.js';
import { settings } from './helpers.js';

const BUILDX: Engine = { buildx: true, serverVersion: '28.5.0' };
const CLASSIC: Engine = { buildx: false, serverVersion: '20.10.24' };
const TOKEN = 'pypi-t0ken\nsecond line';
const CACHE = ['ghcr.io/acme/app:feature', 'ghcr.io/acme/app:main'];

const SECRETS: Settings['secrets'] = [
  { id: 'pip', source: 'value', value: new Secret(TOKEN) },
  { id: 'npmrc', source: 'file', path: '/ws/.npmrc' },
  { id: 'gh', source: 'env', variable: 'GH_TOKEN' },
  { id: 'other', source: 'value', value: new Secret('s2') },
];

function plan(overrides: Partial<Settings>, engine = BUILDX, cacheImages = CACHE): Step[] {
  return makePlan({
    settings: settings(overrides),
    engine,
    references: ['ghcr.io/acme/app:main'],
    labels: {},
    cacheImages,
    jobDir: '/job',
    dockerConfig: undefined,
    testContainer: 'build-test-push-in-image-1',
  });
}

const buildOf = (steps: Step[]) => {
  const build = steps.find((step) => step.kind === 'build');
  if (build?.kind !== 'build') throw new Error('no build step');
  return build;
};

function argv(overrides: Partial<Settings>, engine = BUILDX, cacheImages: string[] = []): string[] {
  return buildArgs({
    settings: settings(overrides),
    engine,
    references: ['ghcr.io/acme/app:main'],
    labels: {},
    cacheImages,
    iidFile: '/job/image-id',
    metadataFile: '/job/build-metadata.json',
  });
}

describe('build flags in the argv', () => {
  it.each<[string, Partial<Settings>, string[]]>([
    ['no-cache', { noCache: true }, ['--no-cache']],
    ['pull', { pull: true }, ['--pull']],
    ['network', { network: 'host' }, ['--network', 'host']],
    [
      'add-hosts',
      { addHosts: ['db:10.0.0.5', 'cache:::1'] },
      ['--add-host', 'db:10.0.0.5', '--add-host', 'cache:::1'],
    ],
    ['shm-size', { shmSize: '2g' }, ['--shm-size', '2g']],
    ['ulimit', { ulimits: ['nofile=1024:2048'] }, ['--ulimit', 'nofile=1024:2048']],
  ])('%s: the same flags for both builders', (_name, overrides, flags) => {
    expect(commonBuildFlags(settings(overrides))).toEqual(flags);
    for (const engine of [BUILDX, CLASSIC]) {
      const args = argv(overrides, engine);
      expect(args.slice(-1 - flags.length, -1)).toEqual(flags);
    }
  });

  it.each<[string, Partial<Settings>, string[]]>([
    [
      'secrets: a value by its variable, a file by path, an env variable by name',
      { secrets: SECRETS },
      [
        '--secret',
        'id=pip,env=BUILD_TEST_PUSH_SECRET_1',
        '--secret',
        'id=npmrc,src=/ws/.npmrc',
        '--secret',
        'id=gh,env=GH_TOKEN',
        '--secret',
        'id=other,env=BUILD_TEST_PUSH_SECRET_2',
      ],
    ],
    ['ssh', { ssh: ['default', 'gh=/ws/key'] }, ['--ssh', 'default', '--ssh', 'gh=/ws/key']],
    [
      'no-cache-filters',
      { noCacheFilters: ['deps', 'test'] },
      ['--no-cache-filter', 'deps', '--no-cache-filter', 'test'],
    ],
    ['build-contexts', { buildContexts: ['shared=../shared'] }, ['--build-context', 'shared=../shared']],
    ['provenance', { provenance: 'mode=max' }, ['--provenance', 'mode=max']],
    ['provenance false', { provenance: 'false' }, ['--provenance', 'false']],
    ['sbom', { sbom: 'generator=local/sbom:1' }, ['--sbom', 'generator=local/sbom:1']],
    ['annotations', { annotations: ['index:a.b=c d'] }, ['--annotation', 'index:a.b=c d']],
  ])('buildx, %s', (_name, overrides, flags) => {
    expect(buildxOnlyFlags(settings(overrides))).toEqual(flags);
    const args = argv(overrides);
    expect(args.slice(-1 - flags.length, -1)).toEqual(flags);
    expect(argv(overrides, CLASSIC).some((arg) => flags.includes(arg) && arg.startsWith('--'))).toBe(false);
  });

  it('no secret value is ever in the argv; the build alone gets them, in its environment', () => {
    const steps = plan({ secrets: SECRETS });
    for (const step of steps) {
      if (!('command' in step)) continue;
      expect(JSON.stringify(step.command.args)).not.toContain('pypi-t0ken');
      expect(JSON.stringify(step.command.env ?? {})).not.toContain('pypi-t0ken');
      if (step.kind !== 'build') expect(step.command.secretEnv).toBeUndefined();
    }
    const env = buildOf(steps).command.secretEnv ?? {};
    expect(Object.keys(env)).toEqual(['BUILD_TEST_PUSH_SECRET_1', 'BUILD_TEST_PUSH_SECRET_2']);
    expect(env.BUILD_TEST_PUSH_SECRET_1?.reveal()).toBe(TOKEN);
    expect(Object.keys(secretEnvironment(settings({ secrets: SECRETS.slice(1, 3) })))).toEqual([]);
    expect(buildOf(plan({})).command.secretEnv).toBeUndefined();
  });

  it('the printed command shows the secret variables as *** only', () => {
    const line = formatCommand(buildOf(plan({ secrets: SECRETS })).command);
    expect(line).toContain('BUILD_TEST_PUSH_SECRET_1=***');
    expect(line).not.toContain('t0ken');
    expect(line).not.toContain('s2 ');
  });
});

describe('no-cache', () => {
  it.each([BUILDX, CLASSIC])('%j: no registry cache is pulled or named; cache export stays', (engine) => {
    const steps = plan({ noCache: true, cacheFrom: engine.buildx ? ['type=gha'] : [] }, engine);
    expect(steps.some((step) => step.kind === 'cache-pull')).toBe(false);
    const build = buildOf(steps);
    expect(build.cacheImages).toEqual([]);
    expect(build.command.args).not.toContain('--cache-from');
    expect(build.command.args).toContain('--no-cache');
    if (engine.buildx) expect(build.command.args).toContain('--cache-to');
  });

  it('without it, the same plan pulls and names the cache (the test above can fail)', () => {
    const steps = plan({}, CLASSIC);
    expect(steps.filter((step) => step.kind === 'cache-pull')).toHaveLength(2);
    expect(buildOf(steps).command.args).toContain('--cache-from');
  });
});

describe('attestations and annotations make buildx push', () => {
  it.each<[Partial<Settings>, string]>([
    [{ provenance: 'true' }, 'push'],
    [{ provenance: 'mode=max', push: false }, 'none'],
    [{ sbom: 'true' }, 'push'],
    [{ annotations: ['a=b'] }, 'push'],
    [{ provenance: 'false', sbom: 'false' }, 'load'],
  ])('%j → %s', (overrides, output) => {
    expect(buildOutput(settings(overrides), BUILDX)).toBe(output);
    expect(buildOutput(settings(overrides), CLASSIC)).toBe('load');
  });

  it('the build pushes with a metadata file; no docker push, no cache pull', () => {
    const steps = plan({ provenance: 'mode=max' });
    const build = buildOf(steps);
    expect(build.output).toBe('push');
    expect(build.pushes).toEqual(['ghcr.io/acme/app:main']);
    expect(build.command.args).toEqual(
      expect.arrayContaining(['--push', '--metadata-file', '/job/build-metadata.json']),
    );
    expect(build.command.args).not.toContain('--load');
    expect(steps.map((step) => step.kind)).toEqual(['lookup', 'build', 'verify']);
  });

  it('with test-in-image: an error naming the attestation input', () => {
    const testInImage: Settings['testInImage'] = { command: { form: 'exec', argv: ['true'] }, env: [] };
    expect(() => plan({ sbom: 'true', testInImage })).toThrow(
      /Input `sbom`: `sbom` makes buildx push the image itself/,
    );
  });
});

describe('the classic builder', () => {
  it.each<[Partial<Settings>, string]>([
    [{ cacheFrom: ['type=gha'] }, 'cache-from'],
    [{ cacheTo: ['type=gha'] }, 'cache-to'],
    [{ builder: 'remote' }, 'builder'],
    [{ platforms: ['linux/amd64'] }, 'platforms'],
    [{ secrets: SECRETS.slice(0, 1) }, 'secrets'],
    [{ secrets: SECRETS.slice(1, 2) }, 'secret-files'],
    [{ secrets: SECRETS.slice(2, 3) }, 'secret-envs'],
    [{ ssh: ['default'] }, 'ssh'],
    [{ noCacheFilters: ['deps'] }, 'no-cache-filters'],
    [{ buildContexts: ['a=b'] }, 'build-contexts'],
    [{ provenance: 'true' }, 'provenance'],
    [{ sbom: 'mode=max' }, 'sbom'],
    [{ annotations: ['a=b'] }, 'annotations'],
  ])('%j fails naming `%s`', (overrides, input) => {
    let thrown: unknown;
    try {
      checkBuilderSupport(settings(overrides), CLASSIC);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).input).toBe(input);
    expect((thrown as InputError).message).toContain('needs docker buildx');
    expect((thrown as InputError).message).not.toContain('t0ken');
  });

  it('takes `provenance: false` and `sbom: false` (no attestation asked for) and the common flags', () => {
    const taken = settings({
      provenance: 'false',
      sbom: 'false',
      noCache: true,
      pull: true,
      network: 'none',
      addHosts: ['db:10.0.0.5'],
      shmSize: '1g',
      ulimits: ['nofile=1024'],
    });
    expect(() => {
      checkBuilderSupport(taken, CLASSIC);
    }).not.toThrow();
  });
});

describe('buildOptionFacts (the summary)', () => {
  it('names what changed, secrets by id only', () => {
    expect(
      buildOptionFacts(
        settings({
          noCache: true,
          pull: true,
          secrets: SECRETS,
          ssh: ['default', 'gh=/k'],
          provenance: 'mode=max',
          sbom: 'true',
          annotations: ['a=b'],
        }),
      ),
    ).toEqual([
      'no cache: every step built anew, the registry cache not used',
      'base images pulled fresh (`--pull`)',
      'build secrets: pip, npmrc, gh, other',
      'SSH: default, gh',
      'provenance: mode=max',
      'SBOM: true',
      'annotations: 1',
    ]);
    expect(buildOptionFacts(settings({ noCacheFilters: ['deps'] }))).toEqual([
      'stages built without cache: deps',
    ]);
    expect(buildOptionFacts(settings())).toEqual([]);
  });
});
