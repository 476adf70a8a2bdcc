import type { Engine } from '../../src/docker/engine-info.js';
import { parseBuildChecks } from '../../src/docker/build-checks.js';
import { InputError } from '../../src/shared/errors.js';
import { parseCall, parseExports } from '../../src/inputs/export-inputs.js';
import { makePlan, type Step } from '../../src/plan/plan.js';
import type { Settings } from '../../src/inputs/settings.js';
import { buildCheckAnnotations } from '../../src/report/build-check-annotations.js';
import { settings } from './helpers.js';

const OVERLAY2: Engine = { buildx: true, serverVersion: '28.5.0' };
const CONTAINERD: Engine = { buildx: true, serverVersion: '28.5.0', containerdStore: true };
const DOCKER_20: Engine = { buildx: true, serverVersion: '20.10.24' };
const CLASSIC: Engine = { buildx: false, serverVersion: '28.5.0' };

function plan(overrides: Partial<Settings>, engine: Engine, builder?: string): Step[] {
  return makePlan({
    settings: settings({ builder, ...overrides }),
    engine,
    references: ['ghcr.io/acme/app:main'],
    labels: {},
    jobDir: '/job',
    dockerConfig: undefined,
    testContainer: 'c',
  });
}

function inputError(body: () => unknown): InputError {
  try {
    body();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no InputError');
}

describe('parseExports (the outputs input)', () => {
  it('one --output a line, dest made absolute from working-directory', () => {
    expect(parseExports('type=docker,dest=out/image.tar\ntype=local,dest=/tmp/rootfs', '/ws')).toEqual([
      { type: 'docker', dest: '/ws/out/image.tar', value: 'type=docker,dest=/ws/out/image.tar' },
      { type: 'local', dest: '/tmp/rootfs', value: 'type=local,dest=/tmp/rootfs' },
    ]);
  });

  it('keeps the exporter options', () => {
    expect(parseExports('type=oci,dest=i.tar,compression=zstd', '/ws')[0]?.value).toBe(
      'type=oci,compression=zstd,dest=/ws/i.tar',
    );
  });

  test.each([
    ['no type', 'dest=x.tar', 'is not type=docker|oci|local|tar,dest=path'],
    ['an unknown type', 'type=cacheonly', 'is not type=docker|oci|local|tar'],
    ['the registry', 'type=registry,name=ghcr.io/acme/app', "pushing is this action's own job"],
    ['image', 'type=image,push=true', "pushing is this action's own job"],
    ['no dest', 'type=docker', 'names no file: add dest=path'],
    ['dest -', 'type=tar,dest=-', 'names no file'],
  ])('%s: an error naming outputs', (_, text, message) => {
    const error = inputError(() => parseExports(text, '/ws'));
    expect(error.input).toBe('outputs');
    expect(error.message).toContain(message);
  });
});

describe('parseCall', () => {
  test.each([
    ['', undefined],
    ['check', 'check'],
    [' CHECK ', 'check'],
    ['build', undefined],
  ])('%j', (text, call) => {
    expect(parseCall(text)).toBe(call);
  });

  it('outline and targets are errors naming call', () => {
    const error = inputError(() => parseCall('outline'));
    expect(error.input).toBe('call');
    expect(error.message).toContain('use check');
  });
});

describe('outputs in the plan', () => {
  const exports = parseExports('type=docker,dest=/out/image.tar', '/ws');

  it('the load spelt out as an output (buildx would fold --load into a docker file output), the file, and the metadata file', () => {
    const build = plan({ exports }, CONTAINERD).find((step) => step.kind === 'build');
    const args = build?.command.args ?? [];
    expect(args.slice(2, 9)).toEqual([
      '--progress=plain',
      '--output',
      'type=docker',
      '--output',
      'type=docker,dest=/out/image.tar',
      '--metadata-file',
      '/job/build-metadata.json',
    ]);
  });

  test.each<[string, Partial<Settings>, Engine, string | undefined, RegExp]>([
    ['the classic builder', { exports }, CLASSIC, undefined, /needs docker buildx/],
    [
      'type=docker, docker driver, overlay2 store',
      { exports },
      OVERLAY2,
      undefined,
      /turn on the containerd image store/,
    ],
    [
      'type=oci, docker driver, overlay2 store',
      { exports: parseExports('type=oci,dest=o.tar', '/ws') },
      OVERLAY2,
      undefined,
      /type=oci cannot be written by buildx's docker driver/,
    ],
    [
      'type=tar besides --load on Docker 20.10',
      { exports: parseExports('type=tar,dest=o.tar', '/ws') },
      DOCKER_20,
      undefined,
      /Docker 20.10.24's BuildKit writes one output only/,
    ],
  ])('%s: an error naming outputs, before anything runs', (_, overrides, engine, builder, message) => {
    const error = inputError(() => plan(overrides, engine, builder));
    expect(error.input).toBe('outputs');
    expect(error.message).toMatch(message);
  });

  test.each<[string, Partial<Settings>, Engine, string | undefined]>([
    [
      'type=oci on the containerd store',
      { exports: parseExports('type=oci,dest=o.tar', '/ws') },
      CONTAINERD,
      undefined,
    ],
    [
      'type=docker on the containerd store without a load (several platforms, no push)',
      { exports, platforms: ['linux/amd64', 'linux/arm64'], push: false },
      CONTAINERD,
      undefined,
    ],
    ['type=tar on overlay2', { exports: parseExports('type=tar,dest=o.tar', '/ws') }, OVERLAY2, undefined],
    [
      'type=oci with a builder of its own',
      { exports: parseExports('type=oci,dest=o.tar', '/ws') },
      OVERLAY2,
      'ci',
    ],
  ])('%s: planned', (_, overrides, engine, builder) => {
    expect(plan(overrides, engine, builder).some((step) => step.kind === 'build')).toBe(true);
  });
});

describe('call: check', () => {
  it('the tests, then the checks: no login, lookup, build or push', () => {
    const steps = plan(
      { call: 'check', testCommand: 'npm test', credentials: undefined, buildArgs: ['A=1'], target: 'app' },
      OVERLAY2,
    );
    expect(steps.map((step) => step.kind)).toEqual(['test', 'check']);
    expect(steps[1]?.kind === 'check' && steps[1].command.args).toEqual([
      'buildx',
      'build',
      '--call=check,format=json',
      '--file',
      '/ws/Dockerfile',
      '--build-arg',
      'A=1',
      '--target',
      'app',
      '/ws',
    ]);
  });

  it('needs buildx', () => {
    expect(inputError(() => plan({ call: 'check' }, CLASSIC)).input).toBe('call');
  });
});

const CHECK_JSON = JSON.stringify({
  warnings: [
    {
      ruleName: 'FromAsCasing',
      description: "The 'as' keyword should match the case of the 'from' keyword",
      url: 'https://docs.docker.com/go/dockerfile/rule/from-as-casing/',
      detail: "'as' and 'FROM' keywords' casing do not match",
      location: { ranges: [{ start: { line: 1 }, end: { line: 1 } }] },
    },
    { ruleName: 'JSONArgsRecommended', description: 'JSON arguments recommended', location: { ranges: [] } },
  ],
  sources: [],
});

describe('build check results', () => {
  it('parses what buildx --call=check,format=json prints', () => {
    expect(parseBuildChecks(CHECK_JSON)).toEqual([
      {
        rule: 'FromAsCasing',
        description: "The 'as' keyword should match the case of the 'from' keyword",
        detail: "'as' and 'FROM' keywords' casing do not match",
        url: 'https://docs.docker.com/go/dockerfile/rule/from-as-casing/',
        startLine: 1,
        endLine: 1,
      },
      {
        rule: 'JSONArgsRecommended',
        description: 'JSON arguments recommended',
        detail: 'JSON arguments recommended',
        url: undefined,
        startLine: undefined,
        endLine: undefined,
      },
    ]);
  });

  test.each([
    ['no JSON', 'ERROR: failed to solve'],
    ['not an object', '{ nope'],
  ])('%s: undefined', (_, text) => {
    expect(parseBuildChecks(text)).toBeUndefined();
  });

  it('no warnings: an empty list', () => {
    expect(parseBuildChecks('{"sources": []}')).toEqual([]);
  });

  it('each check is a warning on its Dockerfile lines, the path relative to the workspace', () => {
    const annotations = buildCheckAnnotations(
      parseBuildChecks(CHECK_JSON) ?? [],
      '/ws/app/Dockerfile',
      '/ws',
    );
    expect(annotations).toEqual([
      {
        level: 'warning',
        message:
          "'as' and 'FROM' keywords' casing do not match (https://docs.docker.com/go/dockerfile/rule/from-as-casing/)",
        properties: { title: 'Build check FromAsCasing', file: 'app/Dockerfile', startLine: 1, endLine: 1 },
      },
      {
        level: 'warning',
        message: 'JSON arguments recommended',
        properties: { title: 'Build check JSONArgsRecommended', file: 'app/Dockerfile' },
      },
    ]);
  });
});
