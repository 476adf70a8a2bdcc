import { newRunRecord, outcomeOf, type PhaseTiming, type RunRecord } from '../../src/record/run-record.js';
import { formatBytes, renderSummary } from '../../src/report/summary.js';

const IMAGE = 'ghcr.io/acme/app';
const MAIN = `${IMAGE}:feature-Login-Page`;
const SHORT = `${IMAGE}:0123456`;
const DIGEST_A = `sha256:${'a'.repeat(64)}`;
const DIGEST_B = `sha256:${'b'.repeat(64)}`;

/** A recorded run that pushed two tags; rows below change what their case changes. */
function pushed(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    ...newRunRecord(),
    images: [IMAGE],
    tags: [
      { tag: 'feature-Login-Page', source: 'feature/Login-Page', rule: 'branch' },
      { tag: '0123456', source: '0123456', rule: 'sha' },
    ],
    references: [MAIN, SHORT],
    builder: 'buildx',
    phases: [
      { kind: 'resolve', reference: undefined, title: 'Resolve', start: 0, seconds: 0.25 },
      { kind: 'test', reference: undefined, title: 'Run tests', start: 0.25, seconds: 12.4 },
      {
        kind: 'build',
        reference: undefined,
        title: `Build ${MAIN}, ${SHORT} (buildx)`,
        start: 12.7,
        seconds: 75,
      },
      { kind: 'push', reference: MAIN, title: `Push ${MAIN}`, start: 87.7, seconds: 2 },
      { kind: 'push', reference: SHORT, title: `Push ${SHORT}`, start: 89.7, seconds: 0.0001 },
    ],
    digests: new Map([
      [MAIN, DIGEST_A],
      [SHORT, DIGEST_B],
    ]),
    imageId: 'sha256:feed',
    imageSize: 1_983_840,
    cache: { cached: 3, steps: 5 },
    ...overrides,
  };
}

const testOutput = Array.from({ length: 40 }, (_, i) => `test ${i + 1}`);

describe('renderSummary on recorded runs', () => {
  it('pushed: every reference with its rule and digest, image facts, the phase chart', () => {
    expect(renderSummary(pushed())).toBe(
      [
        '## ✅ Pushed: `ghcr.io/acme/app`',
        '',
        '| reference | tag from | digest |',
        '| --- | --- | --- |',
        `| \`${MAIN}\` | \`feature/Login-Page\` → \`feature-Login-Page\` (branch) | \`${DIGEST_A}\` |`,
        `| \`${SHORT}\` | \`0123456\` (sha) | \`${DIGEST_B}\` |`,
        '',
        '- Image id: `sha256:feed`',
        '- Size: 1.98 MB',
        '- Cache: 3 of 5 build steps came from the cache',
        '- Builder: `buildx`',
        '',
        '```mermaid',
        'gantt',
        '  title Phases (seconds)',
        '  dateFormat x',
        '  axisFormat %s',
        '  section run',
        '  resolve 0.3 s : 0, 250',
        '  tests 12 s : 250, 12650',
        '  build 1 min 15 s : 12700, 87700',
        '  push feature-Login-Page 2.0 s : 87700, 89700',
        '  push 0123456 0.0 s : 89700, 89701',
        '```',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['pushed', pushed(), 'pushed', '## ✅ Pushed: `ghcr.io/acme/app`', ['sha256:aaaa']],
    [
      'built only',
      pushed({ push: false, digests: new Map() }),
      'built only',
      '## ✅ Built (not pushed): `ghcr.io/acme/app`',
      [`| \`${MAIN}\` | \`feature/Login-Page\` → \`feature-Login-Page\` (branch) | push: false |`],
    ],
    [
      'dry run',
      pushed({
        dryRun: true,
        digests: new Map(),
        phases: [],
        imageId: undefined,
        imageSize: undefined,
        cache: undefined,
      }),
      'dry run',
      '## 📝 Dry run (nothing was run): `ghcr.io/acme/app`',
      [`| \`${SHORT}\` | \`0123456\` (sha) | dry run |`],
    ],
    [
      'failed at tests',
      pushed({
        digests: new Map(),
        imageId: undefined,
        imageSize: undefined,
        cache: undefined,
        failure: {
          phase: 'tests',
          message: 'Tests failed with exit code 3; ...',
          exitCode: 3,
          output: testOutput,
          location: undefined,
        },
      }),
      'failed at tests',
      '## ❌ Failed at tests: `ghcr.io/acme/app`',
      [
        '**The tests failed with exit code 3**; nothing was built or pushed.',
        ['<details>', '<summary>Test output (last 30 lines)</summary>', '', '```text', 'test 11'].join('\n'),
        ['test 40', '```', '', '</details>'].join('\n'),
        `| \`${MAIN}\` | \`feature/Login-Page\` → \`feature-Login-Page\` (branch) | not pushed |`,
      ],
    ],
    [
      'failed at the test inside the image',
      pushed({
        digests: new Map(),
        failure: {
          phase: 'test in image',
          message: 'Test inside the image failed with exit code 1; nothing was pushed.',
          exitCode: 1,
          output: ['cat: /app/hello.txt: No such file or directory'],
          location: undefined,
        },
      }),
      'failed at test in image',
      '## ❌ Failed at test in image: `ghcr.io/acme/app`',
      [
        '**The test inside the image failed with exit code 1**; nothing was pushed.',
        [
          '<details>',
          '<summary>Output of the test inside the image (last 1 lines)</summary>',
          '',
          '```text',
          'cat: /app/hello.txt: No such file or directory',
        ].join('\n'),
      ],
    ],
    [
      'failed at build',
      pushed({
        digests: new Map(),
        failure: {
          phase: 'build',
          message: 'Build failed at [3/4] RUN make: ERROR: exit code: 2; nothing was pushed.',
          exitCode: 1,
          output: ['#7 [3/4] RUN make', '#7 ERROR: exit code: 2'],
          location: { file: 'app/Dockerfile', line: 3 },
        },
      }),
      'failed at build',
      '## ❌ Failed at build: `ghcr.io/acme/app`',
      [
        '**The build failed at `app/Dockerfile:3` with exit code 1**; nothing was pushed.',
        '```text\nBuild failed at [3/4] RUN make: ERROR: exit code: 2; nothing was pushed.\n```',
        '<summary>Build output (last 2 lines)</summary>',
      ],
    ],
    [
      'failed at push',
      pushed({
        digests: new Map([[MAIN, DIGEST_A]]),
        failure: {
          phase: 'push',
          message: `Push of ${SHORT} failed: denied\nPushed: ${MAIN}\nNot pushed: ${SHORT}`,
          exitCode: 1,
          output: [],
          location: undefined,
        },
      }),
      'failed at push',
      '## ❌ Failed at push: `ghcr.io/acme/app`',
      [
        '**Push failed with exit code 1.**',
        `\`\`\`text\nPush of ${SHORT} failed: denied\nPushed: ${MAIN}\nNot pushed: ${SHORT}\n\`\`\``,
        `| \`${MAIN}\` | \`feature/Login-Page\` → \`feature-Login-Page\` (branch) | \`${DIGEST_A}\` |`,
        `| \`${SHORT}\` | \`0123456\` (sha) | not pushed |`,
      ],
    ],
    [
      'failed at resolve (bad input): no references yet',
      {
        ...newRunRecord(),
        failure: {
          phase: 'resolve',
          message: 'Input `image`: is required',
          exitCode: undefined,
          output: [],
          location: undefined,
        },
      },
      'failed at resolve',
      '## ❌ Failed at resolve',
      ['**Resolve failed.**', '```text\nInput `image`: is required\n```'],
    ],
  ] as const)('%s', (_label, record, outcome, heading, parts) => {
    expect(outcomeOf(record)).toBe(outcome);
    const markdown = renderSummary(record);
    expect(markdown.split('\n')[0]).toBe(heading);
    for (const part of parts) expect(markdown).toContain(part);
  });

  it('a run whose tags already held the image says nothing needed uploading, after the digests', () => {
    const digests: [string, string][] = [
      [MAIN, DIGEST_A],
      [SHORT, DIGEST_A],
    ];
    const lines = renderSummary(
      pushed({ digests: new Map(digests), alreadyInRegistry: [MAIN, SHORT] }),
    ).split('\n');
    const note = lines.indexOf(
      'The registry already held this very image at these tags, so nothing needed uploading.',
    );
    expect(note).toBeGreaterThan(lines.indexOf(`| \`${SHORT}\` | \`0123456\` (sha) | \`${DIGEST_A}\` |`));
    expect(renderSummary(pushed())).not.toContain('already held');
  });

  it('tests output cannot close its block or the details early', () => {
    const output = ['```', '</details>', '````x'];
    const markdown = renderSummary(
      pushed({ failure: { phase: 'tests', message: 'x', exitCode: 1, output, location: undefined } }),
    );
    expect(markdown).toContain(['`````text', ...output, '`````'].join('\n'));
  });

  it('a branch with backticks and pipes stays one table cell', () => {
    const markdown = renderSummary(
      pushed({
        tags: [{ tag: 'a-b-c', source: 'a|b`c', rule: 'branch' }],
        references: [`${IMAGE}:a-b-c`],
        digests: new Map(),
      }),
    );
    expect(markdown).toContain(
      `| \`${IMAGE}:a-b-c\` | <code>a\\|b\\\`c</code> → \`a-b-c\` (branch) | not pushed |`,
    );
  });

  it('a task name in the chart never holds a colon, a hash or a semicolon', () => {
    const markdown = renderSummary(
      pushed({
        phases: [
          {
            kind: 'push',
            reference: 'host:5000/app:v1#b;c',
            title: 'Push host:5000/app:v1',
            start: 0,
            seconds: 1,
          },
        ],
      }),
    );
    expect(markdown).toContain('  push v1 b c 1.0 s : 0, 1000');
  });

  it('names each bar of the chart for what ran, with the tag it was about', () => {
    const bar = (kind: PhaseTiming['kind'], tag: string | undefined, start: number) => ({
      kind,
      reference: tag === undefined ? undefined : `host:5000/app:${tag}`,
      title: 'the log group',
      start,
      seconds: 1,
    });
    const markdown = renderSummary(
      pushed({
        phases: [
          bar('resolve', undefined, 0),
          bar('test', undefined, 1),
          bar('login', undefined, 2),
          bar('lookup', 'feature-x', 3),
          bar('cache-pull', 'main', 4),
          bar('build', undefined, 5),
          bar('test-in-image', undefined, 6),
          bar('push', 'feature-x', 7),
          bar('verify', 'feature-x', 8),
        ],
      }),
    );
    const chart = markdown.split('\n').filter((line) => / : \d+, \d+$/.test(line));
    expect(chart.map((line) => line.slice(0, line.indexOf(' 1.0 s')).trim())).toEqual([
      'resolve',
      'tests',
      'login',
      'lookup feature-x',
      'cache pull main',
      'build',
      'test in image',
      'push feature-x',
      'read-back feature-x',
    ]);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [1_983_840, '1.98 MB'],
    [123_456_789, '123.5 MB'],
    [5_000_000_000_000_000, '5000.0 TB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('the base image in the summary', () => {
  const base = { name: 'python:3.12-slim', digest: DIGEST_B };

  test('unchanged: nothing to rebuild, since the image was made', () => {
    const record = pushed({
      base,
      rebuild: { rebuilt: false, reference: MAIN, since: '2026-11-30T10:00:00Z' },
      phases: [],
    });
    expect(outcomeOf(record)).toBe('unchanged');
    const summary = renderSummary(record);
    expect(summary).toContain('## ✅ Nothing to rebuild');
    expect(summary).toContain(
      `Base \`python:3.12-slim\` unchanged since 2026-11-30T10:00:00Z, nothing to rebuild (\`${DIGEST_B}\`).`,
    );
  });

  test('changed: names the old and the new digest', () => {
    const summary = renderSummary(
      pushed({ base, rebuild: { rebuilt: true, reason: 'base changed', previousDigest: DIGEST_A } }),
    );
    expect(summary).toContain('## ✅ Pushed');
    expect(summary).toContain(`Rebuilt on base \`python:3.12-slim\`: \`${DIGEST_A}\` → \`${DIGEST_B}\`.`);
  });

  test('rebuild always: the base is only recorded', () => {
    expect(renderSummary(pushed({ base }))).toContain(`Base image: \`python:3.12-slim\` (\`${DIGEST_B}\`)`);
    expect(renderSummary(pushed())).not.toContain('Base image');
  });
});
