import type { Engine } from '../../src/docker/engine-info.js';
import type { Settings } from '../../src/inputs/settings.js';
import { makePlan, type Step } from '../../src/plan/plan.js';
import { settings } from './helpers.js';

const OVERLAY2: Engine = { buildx: true, serverVersion: '28.5.0' };
const CONTAINERD: Engine = { buildx: true, serverVersion: '28.5.0', containerdStore: true };
const CLASSIC: Engine = { buildx: false, serverVersion: '20.10.24' };
const IMAGES = ['ghcr.io/acme/app:feature', 'ghcr.io/acme/app:main'];
const STAGES = ['ghcr.io/acme/app:buildcache-feature', 'ghcr.io/acme/app:buildcache-main'];
const EXPORT = 'type=registry,ref=ghcr.io/acme/app:buildcache-feature,mode=max,ignore-error=true';

function plan(engine: Engine, overrides: Partial<Settings> = {}, dockerContext?: string): Step[] {
  return makePlan({
    settings: settings(overrides),
    engine,
    references: ['ghcr.io/acme/app:feature'],
    labels: {},
    cacheImages: IMAGES,
    stageCaches: STAGES,
    jobDir: '/job',
    dockerConfig: undefined,
    testContainer: 'build-test-push-in-image-1',
    dockerContext,
  });
}

function build(steps: Step[]): Step & { kind: 'build' } {
  const found = steps.find((step) => step.kind === 'build');
  if (found?.kind !== 'build') throw new Error('no build step');
  return found;
}

/** The values of every `flag` in the argv, in order. */
function values(steps: Step[], flag: string): string[] {
  const args = build(steps).command.args;
  return args.flatMap((arg, index) => (arg === flag ? [args[index + 1] ?? ''] : []));
}

const registry = (references: string[]) => references.map((reference) => `type=registry,ref=${reference}`);

describe('the every-stage registry cache', () => {
  it.each<[string, Engine, Partial<Settings>, string | undefined]>([
    ['buildx on the containerd image store', CONTAINERD, {}, undefined],
    ['a builder of its own (a buildx instance)', OVERLAY2, { builder: 'ci' }, undefined],
  ])(
    '%s: reads buildcache-<branch>, then the default branch, writes mode=max, pulls nothing',
    (_l, engine, overrides, context) => {
      const steps = plan(engine, overrides, context);
      expect(values(steps, '--cache-from')).toEqual(registry([...STAGES, ...IMAGES]));
      expect(values(steps, '--cache-to')).toEqual([EXPORT]);
      expect(build(steps).cacheExport).toBe(STAGES[0]);
      expect(steps.some((step) => step.kind === 'cache-pull')).toBe(false);
    },
  );

  it.each<[string, Engine, Partial<Settings>, string | undefined, string[]]>([
    ["docker's overlay2 store: the inline cache, the image pulled", OVERLAY2, {}, undefined, ['type=inline']],
    [
      'a builder that is a docker context is the docker driver',
      OVERLAY2,
      { builder: 'ctx' },
      'ctx',
      ['type=inline'],
    ],
    ['push: false writes nothing to the registry', CONTAINERD, { push: false }, undefined, ['type=inline']],
    [
      "the user's cache-to replaces it",
      CONTAINERD,
      { cacheTo: ['type=gha,mode=max'] },
      undefined,
      ['type=gha,mode=max'],
    ],
    ['cache: false: no cache at all', CONTAINERD, { cache: false }, undefined, []],
  ])('%s', (_label, engine, overrides, context, to) => {
    const steps = plan(engine, overrides, context);
    expect(values(steps, '--cache-to')).toEqual(to);
    expect(build(steps).cacheExport).toBeUndefined();
    expect(values(steps, '--cache-from').some((value) => value.includes('buildcache-'))).toBe(false);
  });

  it("the user's cache-from comes after the default sources", () => {
    const steps = plan(CONTAINERD, { cacheFrom: ['type=gha'] });
    expect(values(steps, '--cache-from')).toEqual([...registry([...STAGES, ...IMAGES]), 'type=gha']);
  });

  it('no-cache names no cache source, and writes no stage cache', () => {
    const steps = plan(CONTAINERD, { noCache: true });
    expect(values(steps, '--cache-from')).toEqual([]);
    expect(build(steps).command.args).toContain('--no-cache');
  });

  it('the classic builder has no stage cache: it pulls the image tags', () => {
    const steps = plan(CLASSIC);
    expect(values(steps, '--cache-from')).toEqual(IMAGES);
    expect(steps.filter((step) => step.kind === 'cache-pull')).toHaveLength(2);
  });
});

describe('push-timeout bounds a registry cache export', () => {
  it.each<[string, Engine, Partial<Settings>, boolean | undefined]>([
    ['the every-stage cache (ignore-error=true): the image stands without it', CONTAINERD, {}, true],
    [
      "the user's registry cache-to without ignore-error: the build fails",
      OVERLAY2,
      { cacheTo: ['type=registry,ref=r.io/app:cache,mode=max'] },
      false,
    ],
    [
      "the user's registry cache-to with ignore-error=true",
      OVERLAY2,
      { cacheTo: ['type=registry,ref=r.io/app:cache,ignore-error=true'] },
      true,
    ],
  ])('%s', (_label, engine, overrides, optional) => {
    const step = build(plan(engine, { pushTimeoutSeconds: 42, ...overrides }));
    expect(step.cacheExportTimeoutSeconds).toBe(42);
    expect(step.cacheExportOptional).toBe(optional);
    // A session of its own, so that the deadline can end it; the image id read from docker, as
    // buildx stopped in its cache export writes no --iidfile.
    expect(step.command.sessionFile).toBe('/job/build-session');
    expect(step.loadedId?.args).toEqual([
      'image',
      'inspect',
      '--format',
      '{{.Id}}',
      'ghcr.io/acme/app:feature',
    ]);
  });

  it.each<[string, Engine, Partial<Settings>]>([
    ["docker's overlay2 store: the inline cache goes with the image", OVERLAY2, {}],
    ['a cache-to that is not a registry', CONTAINERD, { cacheTo: ['type=gha,mode=max'] }],
    ['the classic builder', CLASSIC, {}],
  ])('no registry cache export, no deadline: %s', (_label, engine, overrides) => {
    const step = build(plan(engine, overrides));
    expect(step.cacheExportTimeoutSeconds).toBeUndefined();
    expect(step.command.sessionFile).toBeUndefined();
  });
});
