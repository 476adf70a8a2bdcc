import { buildArgs } from '../../src/plan/build-command.js';
import type { Engine } from '../../src/docker/engine-info.js';
import {
  epochSeconds,
  OVERLAY2_LIMIT,
  type Reproducibility,
  reproducibility,
} from '../../src/plan/reproducible.js';
import type { Settings } from '../../src/inputs/settings.js';
import { settings } from './helpers.js';

const MODERN: Engine = { buildx: true, serverVersion: '28.5.2+dfsg4', containerdStore: true };
const OVERLAY2: Engine = { buildx: true, serverVersion: '28.5.2+dfsg4' };
const LEGACY: Engine = { buildx: true, serverVersion: '20.10.24+dfsg1' };
const CLASSIC: Engine = { buildx: false, serverVersion: '28.5.2' };
const COMMIT = '2024-05-06T07:08:09+02:00';
const EPOCH = 1714972089;

describe('epochSeconds', () => {
  it.each<[string | undefined, number | undefined]>([
    [COMMIT, EPOCH],
    ['1970-01-01T00:00:00Z', 0],
    ['not a date', undefined],
    [undefined, undefined],
  ])('%s -> %s', (time, seconds) => {
    expect(epochSeconds(time)).toBe(seconds);
  });
});

describe('reproducibility', () => {
  it.each<[string, Partial<Settings>, Engine, 'load' | 'push', string | undefined, Partial<Reproducibility>]>(
    [
      [
        'buildx on Docker 28 (containerd image store), loaded',
        {},
        MODERN,
        'load',
        COMMIT,
        { sourceDateEpoch: EPOCH, rewriteTimestamp: false, withoutProvenance: true },
      ],
      [
        'a builder of its own pushes: file times too',
        { builder: 'remote' },
        MODERN,
        'push',
        COMMIT,
        { sourceDateEpoch: EPOCH, rewriteTimestamp: true, withoutProvenance: true },
      ],
      [
        'the docker driver pushes: it unpacks, so no rewrite-timestamp',
        {},
        MODERN,
        'push',
        COMMIT,
        { sourceDateEpoch: EPOCH, rewriteTimestamp: false, withoutProvenance: true },
      ],
      [
        'turned off',
        { reproducible: false },
        MODERN,
        'push',
        COMMIT,
        { sourceDateEpoch: undefined, rewriteTimestamp: false, withoutProvenance: false, limit: undefined },
      ],
      [
        'the user set SOURCE_DATE_EPOCH: theirs stays',
        { buildArgs: ['SOURCE_DATE_EPOCH=5'] },
        MODERN,
        'push',
        COMMIT,
        { sourceDateEpoch: undefined, rewriteTimestamp: false, withoutProvenance: true, limit: undefined },
      ],
      [
        "a builder of its own on docker's own image store",
        { builder: 'remote' },
        OVERLAY2,
        'load',
        COMMIT,
        { sourceDateEpoch: EPOCH, rewriteTimestamp: false, withoutProvenance: true },
      ],
      [
        "docker's own image store with the user's SOURCE_DATE_EPOCH: theirs, so reproducible",
        { buildArgs: ['SOURCE_DATE_EPOCH=5'] },
        OVERLAY2,
        'load',
        COMMIT,
        { sourceDateEpoch: undefined, withoutProvenance: true, limit: undefined },
      ],
      [
        'a named builder has its own BuildKit',
        { builder: 'remote' },
        LEGACY,
        'load',
        COMMIT,
        { sourceDateEpoch: EPOCH, limit: undefined },
      ],
    ],
  )('%s', (_label, overrides, engine, output, commitTime, expected) => {
    expect(
      reproducibility(settings(overrides), engine, output, commitTime, overrides.builder !== undefined),
    ).toMatchObject({
      limit: undefined,
      ...expected,
    });
  });

  it.each<[string, Engine, string | undefined, RegExp]>([
    [
      'classic builder',
      CLASSIC,
      COMMIT,
      /classic `docker build` stamps the image with the time it was built/,
    ],
    [
      'Docker 20.10 BuildKit',
      LEGACY,
      COMMIT,
      /Docker 20\.10\.24\+dfsg1's BuildKit ignores SOURCE_DATE_EPOCH/,
    ],
    ['no commit time', MODERN, undefined, /git could not tell the commit time/],
  ])('says why not: %s', (_label, engine, commitTime, limit) => {
    const result = reproducibility(settings(), engine, 'load', commitTime);
    expect(result).toMatchObject({
      sourceDateEpoch: undefined,
      rewriteTimestamp: false,
      withoutProvenance: false,
    });
    expect(result.limit).toMatch(limit);
  });

  it.each<['load' | 'push']>([['load'], ['push']])(
    "docker's own image store (%s): says why not, and builds as a reproducible build otherwise",
    (output) => {
      const result = reproducibility(settings(), OVERLAY2, output, COMMIT);
      expect(result).toEqual({
        sourceDateEpoch: undefined,
        rewriteTimestamp: false,
        withoutProvenance: true,
        limit: OVERLAY2_LIMIT,
      });
      expect(result.limit).toMatch(
        /the containerd image store or a builder of its own makes it reproducible/,
      );
    },
  );
});

describe('buildArgs with reproducibility', () => {
  const argv = (output: 'load' | 'push', rewriteTimestamp: boolean, epoch: number | undefined) =>
    buildArgs({
      settings: settings({ platforms: output === 'push' ? ['linux/amd64', 'linux/arm64'] : [] }),
      engine: MODERN,
      references: ['ghcr.io/acme/app:main'],
      labels: {},
      iidFile: '/job/image-id',
      metadataFile: '/job/build-metadata.json',
      reproducibility: {
        sourceDateEpoch: epoch,
        rewriteTimestamp,
        withoutProvenance: true,
        limit: undefined,
      },
    });

  it.each<[string, 'load' | 'push', boolean, boolean, string[]]>([
    ['loaded', 'load', false, false, ['--output', `type=docker,source-date-epoch=${EPOCH}`]],
    ['pushed by buildx', 'push', false, false, ['--output', `type=registry,source-date-epoch=${EPOCH}`]],
    [
      'pushed, file times clamped too',
      'push',
      true,
      false,
      ['--output', `type=registry,source-date-epoch=${EPOCH},rewrite-timestamp=true`],
    ],
    ['no epoch, loaded', 'load', false, true, ['--load']],
    ['no epoch, pushed', 'push', false, true, ['--push']],
  ])(
    'gives the commit time to the exporter, never as a build-arg: %s',
    (_label, output, rewriteTimestamp, noEpoch, expected) => {
      const args = argv(output, rewriteTimestamp, noEpoch ? undefined : EPOCH);
      const at = args.indexOf(expected[0] ?? '');
      expect(args.slice(at, at + expected.length)).toEqual(expected);
      expect(args.join(' ')).not.toContain('SOURCE_DATE_EPOCH');
      expect(args).not.toContain(output === 'load' ? '--push' : '--load');
      expect(args).toContain('--provenance=false');
    },
  );
});
