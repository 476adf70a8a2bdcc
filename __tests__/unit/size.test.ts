import { configLayers, instructionOf, localLayers } from '../../src/docker/image-layers.js';
import { formatGrowth, sizeChange } from '../../src/docker/size-change.js';
import { exceeds } from '../../src/execute/size-check.js';
import { InputError } from '../../src/shared/errors.js';
import { parseSizeLimit } from '../../src/inputs/size-limit.js';
import { historyLine } from '../../src/plan/history-lines.js';
import { makePlan } from '../../src/plan/plan.js';
import { settings } from './helpers.js';

const MAIN = 'ghcr.io/acme/app:main';
const layer = (diffId: string, size: number, createdBy?: string) => ({ diffId, size, createdBy });

describe('max-size-increase', () => {
  it.each([
    ['10%', { kind: 'percent', percent: 10 }],
    ['2.5 %', { kind: 'percent', percent: 2.5 }],
    ['50MB', { kind: 'bytes', bytes: 50e6 }],
    ['1.5 GiB', { kind: 'bytes', bytes: 1.5 * 1024 ** 3 }],
    ['300kb', { kind: 'bytes', bytes: 300e3 }],
    ['', undefined],
  ])('%j', (text, limit) => {
    expect(parseSizeLimit(text)).toEqual(limit);
  });

  it.each(['ten', '10', '-5%', '5 parsecs', '%'])('%j fails naming the input and the forms', (text) => {
    expect(() => parseSizeLimit(text)).toThrow(InputError);
    expect(() => parseSizeLimit(text)).toThrow(/^Input `max-size-increase`: .* e\.g\. 10% or 50MB/);
  });
});

describe('instructionOf', () => {
  it.each([
    ['RUN /bin/sh -c pip install -r requirements.txt # buildkit', 'RUN pip install -r requirements.txt'],
    ['RUN |2 A=1 B=2 /bin/sh -c make # buildkit', 'RUN make'],
    ['COPY /wheels /app/wheels # buildkit', 'COPY /wheels /app/wheels'],
    ['/bin/sh -c #(nop) COPY file:abc in /app/ ', 'COPY file:abc in /app/'],
    ['/bin/sh -c make', 'RUN make'],
  ])('%j', (createdBy, instruction) => {
    expect(instructionOf(createdBy)).toBe(instruction);
  });
});

describe('sizeChange', () => {
  const previous = [layer('a', 1000, 'base'), layer('b', 500, 'RUN /bin/sh -c pip install x # buildkit')];

  it('shared layers count at their compressed size, new ones at the shared ratio', () => {
    // Shared layer a: 2000 unpacked, 1000 compressed: ratio 0.5.
    const built = [layer('a', 2000, 'base'), layer('c', 4000, 'RUN /bin/sh -c pip install x # buildkit')];
    const change = sizeChange(MAIN, previous, built);
    expect(change).toEqual({
      against: MAIN,
      before: 1500,
      after: 3000,
      estimated: true,
      grew: [{ createdBy: 'RUN /bin/sh -c pip install x # buildkit', bytes: 1500 }],
    });
    expect(formatGrowth(change)).toBe(`about +1.50 kB (+100 %) against ${MAIN}`);
  });

  it('the same layers: no growth, nothing estimated', () => {
    const change = sizeChange(MAIN, previous, [layer('a', 2000), layer('b', 900)]);
    expect(change.after).toBe(change.before);
    expect(change.estimated).toBe(false);
    expect(formatGrowth(change)).toBe(`+0 B (+0.0 %) against ${MAIN}`);
  });

  it('a smaller image shrinks; at most three layers listed, largest first', () => {
    const built = [
      layer('a', 2000),
      ...[1, 2, 3, 4].map((n) => layer(`n${n}`, n * 100, `RUN /bin/sh -c step${n}`)),
    ];
    const change = sizeChange(MAIN, previous, built);
    expect(change.grew.map((g) => g.bytes)).toEqual([200, 150, 100]);
    expect(formatGrowth(sizeChange(MAIN, previous, [layer('a', 2000)]))).toBe(
      `−500 B (−33 %) against ${MAIN}`,
    );
  });

  it.each([
    [{ kind: 'percent', percent: 50 }, true],
    [{ kind: 'percent', percent: 100 }, false],
    [{ kind: 'bytes', bytes: 1499 }, true],
    [{ kind: 'bytes', bytes: 1500 }, false],
  ] as const)('the gate %j: exceeded %s', (limit, over) => {
    const change = sizeChange(MAIN, previous, [layer('a', 2000), layer('c', 4000)]);
    expect(exceeds(change, limit)).toBe(over);
  });
});

describe('image layers', () => {
  it('pairs the config history that made layers with the manifest sizes', () => {
    const config = {
      rootfs: { diff_ids: ['sha256:1', 'sha256:2'] },
      history: [
        { created_by: 'ADD rootfs' },
        { created_by: 'ENV A=1', empty_layer: true },
        { created_by: 'COPY x /x # buildkit' },
      ],
    };
    expect(configLayers(config, [10, 20])).toEqual([
      layer('sha256:1', 10, 'ADD rootfs'),
      layer('sha256:2', 20, 'COPY x /x # buildkit'),
    ]);
    expect(configLayers(config, [10])).toBeUndefined();
  });

  it('pairs docker history (newest first, sizes in bytes) with RootFS.Layers', () => {
    const history = [
      { CreatedBy: 'COPY x /x # buildkit', Size: '20' },
      { CreatedBy: 'ENV A=1', Size: '0' },
      { CreatedBy: 'ADD rootfs', Size: 10 },
    ]
      .map((entry) => JSON.stringify(entry))
      .join('\n');
    expect(localLayers(history, ['sha256:1', 'sha256:2'])).toEqual([
      layer('sha256:1', 10, 'ADD rootfs'),
      layer('sha256:2', 20, 'COPY x /x # buildkit'),
    ]);
    expect(localLayers(history, ['sha256:1'])).toBeUndefined();
  });

  // The classic builder's WORKDIR makes a layer that docker history shows with 0 bytes (Docker 20.10).
  const classic = [
    { CreatedBy: '/bin/sh -c #(nop) COPY file:e881 in /app/ ', Size: '98' },
    { CreatedBy: '/bin/sh -c #(nop)  ENV A=1', Size: '0' },
    { CreatedBy: '/bin/busybox sh -c echo hi > /app/x', Size: '3' },
    { CreatedBy: '/bin/sh -c #(nop) WORKDIR /app', Size: '0' },
    { CreatedBy: '', Size: '1982256' },
  ]
    .map((entry) => JSON.stringify(entry))
    .join('\n');

  it('counts a zero-byte entry of an instruction that writes files when the sized ones are too few', () => {
    expect(localLayers(classic, ['sha256:1', 'sha256:2', 'sha256:3', 'sha256:4'])).toEqual([
      layer('sha256:1', 1982256, ''),
      layer('sha256:2', 0, '/bin/sh -c #(nop) WORKDIR /app'),
      layer('sha256:3', 3, '/bin/busybox sh -c echo hi > /app/x'),
      layer('sha256:4', 98, '/bin/sh -c #(nop) COPY file:e881 in /app/ '),
    ]);
  });

  it.each([[['sha256:1', 'sha256:2']], [['sha256:1', 'sha256:2', 'sha256:3', 'sha256:4', 'sha256:5']]])(
    'gives no layers when neither count pairs with %j',
    (diffIds) => {
      expect(localLayers(classic, diffIds)).toBeUndefined();
    },
  );
});

describe('historyLine', () => {
  const dockerfile = [
    'FROM python:3.12 AS builder',
    'COPY requirements.txt .',
    'RUN pip wheel -r requirements.txt -w /wheels',
    'FROM python:3.12-slim',
    'COPY --from=builder /wheels /wheels',
    'RUN pip install /wheels/*',
    'COPY requirements.txt .',
  ].join('\n');

  it.each([
    ['RUN /bin/sh -c pip install /wheels/* # buildkit', 6],
    ['COPY /wheels /wheels # buildkit', 5],
    ['COPY requirements.txt . # buildkit', 7],
    ['RUN /bin/sh -c pip wheel -r requirements.txt -w /wheels # buildkit', 3],
    ['RUN /bin/sh -c something else', undefined],
  ])('%j is line %s', (createdBy, line) => {
    expect(historyLine(dockerfile, createdBy)).toBe(line);
  });
});

describe('the size check step', () => {
  const input = {
    engine: { buildx: true, serverVersion: '28.5.0' },
    references: ['ghcr.io/acme/app:feature'],
    labels: {},
    jobDir: '/job',
    dockerConfig: undefined,
    testContainer: 'build-test-push-in-image-1',
  };

  it('comes after the build and before the pushes, with the limit', () => {
    const limit = { kind: 'percent', percent: 10 } as const;
    const steps = makePlan({ ...input, settings: settings({ maxSizeIncrease: limit }), defaultImage: MAIN });
    const kinds = steps.map((step) => step.kind);
    expect(kinds.indexOf('size-check')).toBeGreaterThan(kinds.indexOf('build'));
    expect(kinds.indexOf('size-check')).toBeLessThan(kinds.indexOf('push'));
    const check = steps.find((step) => step.kind === 'size-check');
    expect(check?.kind === 'size-check' && check.limit).toEqual(limit);
    expect(check?.command.args.at(-1)).toBe('ghcr.io/acme/app:feature');
  });

  it.each([
    ['no default branch image', {}, undefined],
    ['an image buildx pushes itself', { platforms: ['linux/amd64', 'linux/arm64'] }, MAIN],
  ])('none for %s', (_label, overrides, defaultImage) => {
    const steps = makePlan({ ...input, settings: settings(overrides), defaultImage });
    expect(steps.some((step) => step.kind === 'size-check')).toBe(false);
  });
});
