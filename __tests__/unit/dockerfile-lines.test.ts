import { failedBuildStep } from '../../src/docker/build-output.js';
import { dockerfileLine } from '../../src/plan/dockerfile-lines.js';
import { dockerLines } from './helpers.js';

// The Dockerfiles the fixtures were built from (the fixture's own lines say which instruction failed).
const FOUR_STEPS =
  'FROM unit-fixture/busybox:capture\nRUN echo preparing\nRUN echo "compiling the app" && exit 3\nUSER app\n';
const COPY_MISSING = 'FROM scratch\nCOPY missing /\n';
const TWO_STAGES =
  'FROM unit-fixture/busybox:capture AS build\nRUN echo "npm test" && exit 1\n\nFROM scratch\nCOPY --from=build /x /x\n';
const SOURCE_BLOCK =
  'FROM busybox\n# the app\nCOPY . /app\n\nRUN echo "compiling" && \\\n    exit 3\nUSER app\n';

describe('failedBuildStep + dockerfileLine: the failing instruction of real build output', () => {
  it.each([
    ['buildx RUN', 'buildx-run-exit-3.txt', FOUR_STEPS, 3],
    ['classic RUN', 'classic-run-exit-3.txt', FOUR_STEPS, 3],
    ['buildx COPY', 'buildx-copy-missing.txt', COPY_MISSING, 2],
    ['classic COPY', 'classic-copy-missing.txt', COPY_MISSING, 2],
    ['buildx named stage', 'buildx-stage-fail.txt', TWO_STAGES, 2],
    // BuildKit >= 0.12 prints the source block itself (captured from Docker 28.5, buildx 0.29).
    ['BuildKit source block', 'buildkit-source-block.txt', SOURCE_BLOCK, 5],
  ])('%s', (_label, fixture, dockerfile, line) => {
    const step = failedBuildStep(dockerLines(fixture));
    expect(step).toBeDefined();
    if (step !== undefined) expect(dockerfileLine(dockerfile, step)).toBe(line);
  });

  it('no build step in the output: nothing to map', () => {
    expect(failedBuildStep(dockerLines('push-refused.txt'))).toBeUndefined();
  });
});

describe('dockerfileLine', () => {
  const dockerfile = [
    'ARG BASE=busybox', // 1: classic step 1
    '# comment', // 2
    'FROM $BASE AS deps', // 3: step 2
    'ENV A=1', // 4: step 3 (buildx shows no vertex for it)
    'RUN echo one && \\', // 5: step 4
    '    echo two', // 6
    'FROM scratch', // 7: step 5
    'copy --from=deps /a /b', // 8: step 6, lower-case keyword
    'RUN echo one && echo two', // 9: step 7
  ].join('\n');

  it.each([
    [
      'classic step 1: an ARG before FROM counts',
      { kind: 'classic', step: 1, instruction: 'ARG BASE=busybox' },
      1,
    ],
    ['classic step 4', { kind: 'classic', step: 4, instruction: 'RUN echo one &&     echo two' }, 5],
    ['classic step 6', { kind: 'classic', step: 6, instruction: 'copy --from=deps /a /b' }, 8],
    [
      'classic step past the end (LABEL added by --label)',
      { kind: 'classic', step: 9, instruction: 'LABEL a=b' },
      undefined,
    ],
    [
      'buildx named stage, continued RUN',
      { kind: 'buildx', stage: 'deps', instruction: 'RUN echo one &&     echo two' },
      5,
    ],
    [
      'buildx stage-1 by index',
      { kind: 'buildx', stage: 'stage-1', instruction: 'RUN echo one && echo two' },
      9,
    ],
    ['buildx keyword case', { kind: 'buildx', stage: 'stage-1', instruction: 'COPY --from=deps /a /b' }, 8],
    [
      'buildx FROM with the full image name',
      { kind: 'buildx', stage: 'deps', instruction: 'FROM docker.io/library/busybox:latest' },
      3,
    ],
    [
      'buildx without stage: the last match',
      { kind: 'buildx', stage: undefined, instruction: 'RUN echo one && echo two' },
      9,
    ],
    [
      'buildx unknown instruction',
      { kind: 'buildx', stage: 'deps', instruction: 'RUN nothing like it' },
      undefined,
    ],
    ['source block', { kind: 'source', line: 42 }, 42],
  ] as const)('%s → %s', (_label, step, line) => {
    expect(dockerfileLine(dockerfile, step)).toBe(line);
  });

  it.each([
    ['$NAME', 'RUN echo $FLAVOUR > /f', 'RUN echo hot > /f', 3],
    ['${NAME} and a default', 'RUN make ${TARGET:-all} V=${V}', 'RUN make release V=1', 3],
    ['a value with spaces', 'RUN echo "$MSG" done', 'RUN echo "two words" done', 3],
    ['a value filled in as nothing', 'RUN echo x$EMPTY', 'RUN echo x', 3],
    ['other text around it: no match', 'RUN echo $FLAVOUR > /f', 'RUN echo hot > /g', undefined],
  ] as const)(
    'buildx shows a RUN with the build-args filled in (%s): matched by its text around them',
    (_label, written, shown, line) => {
      const dockerfile = `FROM scratch\nARG FLAVOUR\n${written}\n`;
      expect(dockerfileLine(dockerfile, { kind: 'buildx', stage: undefined, instruction: shown })).toBe(line);
    },
  );

  it('the escape directive changes the continuation character', () => {
    const dockerfile = '# escape=`\nFROM scratch\nRUN echo a `\n  && echo b\n';
    expect(
      dockerfileLine(dockerfile, { kind: 'buildx', stage: undefined, instruction: 'RUN echo a   && echo b' }),
    ).toBe(3);
  });
});
