import { BuildSteps, firstMisses } from '../../src/docker/build-steps.js';
import { finalStageLabel } from '../../src/report/cache-mode.js';
import { type CacheFacts, changedSources, missReason, slowStages } from '../../src/report/slow-steps.js';
import { buildArgsDigest } from '../../src/tags/labels.js';

const SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f80912345678';
const DOCKERFILE = [
  'FROM python:3.12 AS builder',
  'RUN apt-get install -y gcc',
  'COPY requirements.txt .',
  'RUN pip wheel -r requirements.txt -w /wheels',
  'FROM python:3.12-slim',
  'COPY --from=builder /wheels /wheels',
  'RUN pip install /wheels/*',
  'COPY src/ /app/',
].join('\n');

/** BuildKit's plain progress of the article's build after a requirements change. */
const OUTPUT = [
  '#1 [internal] load build definition from Dockerfile',
  '#1 DONE 0.0s',
  '#4 [builder 1/4] FROM docker.io/library/python:3.12',
  '#5 [builder 2/4] RUN apt-get install -y gcc',
  '#5 sha256:ca9568ded7a12bce7b91b40539dd76a019b9a4ad8acf6becf56200d9ab733916 167B / 167B 0.0s done',
  '#5 DONE 0.1s',
  '#5 [builder 2/4] RUN apt-get install -y gcc',
  '#5 extracting sha256:ca9568ded7a12bce7b91b40539dd76a019b9a4ad8acf6becf56200d9ab733916 0.1s done',
  '#5 DONE 0.2s',
  '#6 [builder 3/4] COPY requirements.txt .',
  '#6 DONE 0.1s',
  '#7 [builder 4/4] RUN pip wheel -r requirements.txt -w /wheels',
  '#7 0.512 Collecting flask',
  '#7 DONE 8.0s',
  '#8 [stage-1 2/4] COPY --from=builder /wheels /wheels',
  '#8 DONE 0.2s',
  '#9 [stage-1 3/4] RUN pip install /wheels/*',
  '#9 DONE 2.5s',
  '#10 [stage-1 4/4] COPY src/ /app/',
  '#10 DONE 0.1s',
  '#7 [builder 4/4] RUN pip wheel -r requirements.txt -w /wheels',
];

function steps(lines: readonly string[] = OUTPUT) {
  const collected = new BuildSteps();
  for (const line of lines) collected.add(line);
  return collected.all();
}

const ARGS_A = buildArgsDigest(['PYTHON_VERSION=3.12']);
const ARGS_B = buildArgsDigest(['PYTHON_VERSION=3.13']);

const facts = (overrides: Partial<CacheFacts> = {}): CacheFacts => ({
  noCache: false,
  mode: 'every stage',
  source: { reference: 'ghcr.io/acme/app:main', revision: SHA, baseDigest: 'sha256:b1', buildArgs: ARGS_A },
  changed: ['requirements.txt'],
  baseDigest: 'sha256:b1',
  buildArgs: { digest: ARGS_A, names: ['PYTHON_VERSION'] },
  finalStage: 'stage-1',
  ...overrides,
});

describe('BuildKit steps', () => {
  it('reads each step once: cached or not, and its seconds; FROM and internal steps are no steps', () => {
    expect(steps().map((step) => [step.stage, step.index, step.cached, step.seconds])).toEqual([
      ['builder', 2, true, 0.2],
      ['builder', 3, false, 0.1],
      ['builder', 4, false, 8],
      ['stage-1', 2, false, 0.2],
      ['stage-1', 3, false, 2.5],
      ['stage-1', 4, false, 0.1],
    ]);
  });

  it('per stage: the first step not from the cache and the seconds from there', () => {
    expect(
      firstMisses(steps()).map((miss) => [miss.step.instruction, Math.round(miss.seconds * 10) / 10]),
    ).toEqual([
      ['COPY requirements.txt .', 8.1],
      ['COPY --from=builder /wheels /wheels', 2.8],
    ]);
  });

  it('a stage that came wholly from the cache is not listed; a one-stage build has no stage label', () => {
    const lines = ['#5 [2/3] RUN make', '#5 CACHED', '#6 [3/3] COPY . /app', '#6 DONE 0.3s'];
    expect(firstMisses(steps(lines))).toEqual([
      {
        step: { stage: undefined, index: 3, instruction: 'COPY . /app', cached: false, seconds: 0.3 },
        seconds: 0.3,
      },
    ]);
    expect(firstMisses(steps(['#5 [2/2] RUN make', '#5 CACHED']))).toEqual([]);
  });
});

describe('why a step missed the cache', () => {
  const [builder, final] = firstMisses(steps());
  if (builder === undefined || final === undefined) throw new Error('no misses');

  it('the summary line: Dockerfile line, instruction, reason, seconds', () => {
    expect(slowStages([builder], facts(), { file: 'Dockerfile', text: DOCKERFILE })).toEqual([
      {
        stage: 'builder',
        instruction: 'COPY requirements.txt .',
        location: { file: 'Dockerfile', line: 3 },
        seconds: builder.seconds,
        reason: 'requirements.txt changed since 1a2b3c4',
      },
    ]);
  });

  it.each<[string, Partial<CacheFacts>, string]>([
    ['no-cache', { noCache: true }, '`no-cache` is set'],
    ['cache: false', { mode: 'none' }, 'no cache (`cache: false`)'],
    [
      'no cache image yet',
      { source: undefined },
      'no cache source: no image of this branch or the default branch yet',
    ],
    [
      'the inline cache holds the final stage only',
      { mode: 'inline' },
      'this stage is not in the cache: docker\'s overlay2 image store keeps only the final stage (inline cache), so a fresh runner rebuilds this stage from here; the containerd image store (`"features": {"containerd-snapshotter": true}` in daemon.json, the default of new Docker Engine 29 installs) or a builder of its own (`builder`, e.g. from docker/setup-buildx-action) caches every stage',
    ],
    ['a file the COPY reads changed', {}, 'requirements.txt changed since 1a2b3c4'],
    [
      'files changed, but not what the COPY reads',
      { changed: ['README.md'] },
      'not in the cache of `ghcr.io/acme/app:main`',
    ],
  ])('%s', (_label, overrides, reason) => {
    expect(missReason(builder, facts(overrides))).toBe(reason);
  });

  it('the base image moved', () => {
    const first = {
      step: { stage: undefined, index: 2, instruction: 'RUN make', cached: false, seconds: 1 },
      seconds: 1,
    };
    expect(missReason(first, facts({ baseDigest: 'sha256:b2', finalStage: undefined }))).toBe(
      'the base image moved since 1a2b3c4',
    );
  });

  it("another stage's first step is not put down to the final stage's base", () => {
    const first = {
      step: { stage: 'builder', index: 2, instruction: 'RUN make', cached: false, seconds: 1 },
      seconds: 1,
    };
    expect(missReason(first, facts({ baseDigest: 'sha256:b2', changed: [] }))).toBe(
      'not in the cache of `ghcr.io/acme/app:main`',
    );
  });

  it('the final stage copying from a rebuilt stage', () => {
    expect(missReason(final, facts({ changed: [] }))).toBe('the stage it copies from was rebuilt');
  });
});

describe('a build-arg changed', () => {
  const ARG_DOCKERFILE = [
    'FROM python:3.12 AS builder',
    'RUN apt-get install -y gcc',
    'ARG PYTHON_VERSION',
    'ARG EXTRAS',
    'RUN pip wheel -r requirements.txt -w /wheels',
    'FROM python:3.12-slim',
    'RUN pip install /wheels/*',
  ].join('\n');
  const miss = (stage: string, index: number, instruction: string) => ({
    step: { stage, index, instruction, cached: false, seconds: 3 },
    seconds: 3,
  });
  const wheels = miss('builder', 5, 'RUN pip wheel -r requirements.txt -w /wheels');
  const install = miss('stage-1', 2, 'RUN pip install /wheels/*');
  const changedArgs = (overrides: Partial<CacheFacts> = {}) =>
    facts({ changed: [], buildArgs: { digest: ARGS_B, names: ['PYTHON_VERSION'] }, ...overrides });
  const reason = (m: typeof wheels, f: CacheFacts) =>
    slowStages([m], f, { file: 'Dockerfile', text: ARG_DOCKERFILE })[0]?.reason;

  it.each<[string, typeof wheels, CacheFacts, string]>([
    [
      'a stage that reads the changed argument: named, as one of the build-args',
      wheels,
      changedArgs(),
      '`build-args` changed since 1a2b3c4; this stage reads `PYTHON_VERSION`',
    ],
    [
      'an argument given no more (gone from build-args): the stage’s ARGs all count',
      wheels,
      changedArgs({ buildArgs: { digest: buildArgsDigest([]), names: [] } }),
      '`build-args` changed since 1a2b3c4; this stage reads `PYTHON_VERSION`, `EXTRAS`',
    ],
    [
      'a stage that declares no ARG: not the build-args',
      install,
      changedArgs(),
      'not in the cache of `ghcr.io/acme/app:main`',
    ],
    [
      'the same build-args: not them',
      wheels,
      facts({ changed: [] }),
      'not in the cache of `ghcr.io/acme/app:main`',
    ],
    [
      'a cache image built before the label existed: unknown, not claimed',
      wheels,
      changedArgs({
        source: {
          reference: 'ghcr.io/acme/app:main',
          revision: SHA,
          baseDigest: 'sha256:b1',
          buildArgs: undefined,
        },
      }),
      'not in the cache of `ghcr.io/acme/app:main`',
    ],
    [
      'files the step copies changed too: the files come first',
      miss('builder', 3, 'COPY requirements.txt .'),
      changedArgs({ changed: ['requirements.txt'] }),
      'requirements.txt changed since 1a2b3c4',
    ],
  ])('%s', (_label, m, f, expected) => {
    expect(reason(m, f)).toBe(expected);
  });

  it("BuildKit's step with the value filled in: found at its line, shown as written (no value)", () => {
    const shown = miss('builder', 5, 'RUN echo 3.13-secretish > /v');
    const text =
      'FROM python AS builder\nARG PYTHON_VERSION\nARG EXTRAS\nRUN gcc\nRUN echo ${PYTHON_VERSION}-$EXTRAS > /v\n';
    const [stage] = slowStages([shown], changedArgs(), { file: 'Dockerfile', text });
    expect(stage?.location).toEqual({ file: 'Dockerfile', line: 5 });
    expect(stage?.instruction).toBe('RUN echo ${PYTHON_VERSION}-$EXTRAS > /v');
    expect(stage?.reason).toBe('`build-args` changed since 1a2b3c4; this stage reads `PYTHON_VERSION`');
  });

  it('an ARG declared after the step does not count', () => {
    const early = miss('builder', 2, 'RUN apt-get install -y gcc');
    expect(reason(early, changedArgs())).toBe('not in the cache of `ghcr.io/acme/app:main`');
  });
});

describe('buildArgsDigest', () => {
  it('names and values together; order does not matter; a repeated key keeps its last value', () => {
    expect(buildArgsDigest(['A=1', 'B=2'])).toBe(buildArgsDigest(['B=2', 'A=1']));
    expect(buildArgsDigest(['A=1', 'A=2'])).toBe(buildArgsDigest(['A=2']));
    expect(buildArgsDigest(['A=1'])).not.toBe(buildArgsDigest(['A=2']));
    expect(buildArgsDigest(['A=1'])).not.toBe(buildArgsDigest(['B=1']));
    expect(buildArgsDigest([])).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('holds no value: a secret passed as a build-arg is not in the label', () => {
    const digest = buildArgsDigest(['TOKEN=hunter2-very-secret']);
    expect(digest).not.toContain('hunter2');
    expect(digest).not.toContain('TOKEN');
  });
});

describe('changedSources', () => {
  it.each<[string, string[], string[] | undefined]>([
    ['COPY requirements.txt .', ['requirements.txt', 'src/a.py'], ['requirements.txt']],
    ['COPY src/ /app/', ['requirements.txt', 'src/a.py', 'srcx'], ['src/a.py']],
    ['COPY . /app', ['a', 'b/c'], ['a', 'b/c']],
    ['COPY --chown=1:1 *.txt /app/', ['a.txt', 'b/c.txt', 'a.py'], ['a.txt']],
    ['ADD ["a b.txt", "/x/"]', ['a b.txt'], ['a b.txt']],
    ['COPY --from=builder /wheels /wheels', ['wheels'], undefined],
    ['RUN make', ['Makefile'], undefined],
  ])('%s', (instruction, changed, expected) => {
    expect(changedSources(instruction, changed)).toEqual(expected);
  });
});

describe('finalStageLabel', () => {
  it.each<[string, string | undefined, string | undefined]>([
    [DOCKERFILE, undefined, 'stage-1'],
    [DOCKERFILE, 'builder', 'builder'],
    ['FROM a\nRUN x\n', undefined, undefined],
    ['FROM a AS one\nFROM b AS Final\n', undefined, 'final'],
  ])('%#', (text, target, label) => {
    expect(finalStageLabel(text, target)).toBe(label);
  });
});
