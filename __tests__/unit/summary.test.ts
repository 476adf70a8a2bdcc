import { newRunRecord, outcomeOf, type RunRecord } from '../../src/record/run-record.js';
import { formatBytes } from '../../src/docker/size-change.js';
import { renderSummary } from '../../src/report/summary.js';

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
      { activity: 'resolve', tag: undefined, title: 'Resolve', start: 0, seconds: 0.25 },
      { activity: 'tests', tag: undefined, title: 'Run tests', start: 0.25, seconds: 12.4 },
      {
        activity: 'build',
        tag: undefined,
        title: `Build ${MAIN}, ${SHORT} (buildx)`,
        start: 12.7,
        seconds: 75,
      },
      { activity: 'push', tag: 'feature-Login-Page', title: `Push ${MAIN}`, start: 87.7, seconds: 2 },
      { activity: 'push', tag: '0123456', title: `Push ${SHORT}`, start: 89.7, seconds: 0.0001 },
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

describe('renderSummary on recorded runs', () => {
  it('a cache export stopped at push-timeout is said once, under the headline; the push stands', () => {
    const target = `${IMAGE}:buildcache-main`;
    const markdown = renderSummary(pushed({ cacheExportStopped: { target, seconds: 5 } }));
    const lines = markdown.split('\n');
    expect(lines[0]).toBe(`## ✅ Pushed: \`${IMAGE}\``);
    expect(lines[4]).toBe(
      `⚠️ The registry cache export to \`${target}\` ran past \`push-timeout\` (5 s) and was stopped; the image was made before it. The next run reads an older cache, or none.`,
    );
    expect(renderSummary(pushed())).not.toContain('cache export');
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

describe('a moving tag that stayed where it was', () => {
  it('shows as kept, not as a failed push', () => {
    const markdown = renderSummary(pushed({ digests: new Map([[SHORT, DIGEST_B]]), kept: [MAIN] }));
    expect(markdown).toContain(
      `| \`${MAIN}\` | \`feature/Login-Page\` → \`feature-Login-Page\` (branch) | kept: holds a newer image |`,
    );
    expect(markdown).toContain(`| \`${SHORT}\` | \`0123456\` (sha) | \`${DIGEST_B}\` |`);
  });
});
