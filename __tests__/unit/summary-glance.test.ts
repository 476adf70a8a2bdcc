import {
  type Activity,
  newRunRecord,
  type PhaseTiming,
  type RunRecord,
} from '../../src/record/run-record.js';
import { renderSummary } from '../../src/report/summary.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const timing = (activity: Activity, start: number, seconds: number, tag?: string): PhaseTiming => ({
  activity,
  tag,
  title: 'the log group',
  start,
  seconds,
});

/** A run of `repositories` × `tags` references that pushed them all, one after another. */
function bigRun(repositories: number, tags: number): RunRecord {
  const images = Array.from({ length: repositories }, (_, i) => `ghcr.io/acme/app${i + 1}`);
  const tagNames = Array.from({ length: tags }, (_, i) => `v1.${i}`);
  const references = images.flatMap((image) => tagNames.map((tag) => `${image}:${tag}`));
  const steps = (activity: Activity, start: number) =>
    references.map((reference, i) => timing(activity, start + i * 0.2, 0.2, reference.split(':')[1]));
  return {
    ...newRunRecord(),
    images,
    tags: tagNames.map((tag) => ({ tag, source: tag, rule: 'template' })),
    references,
    builder: 'buildx',
    phases: [
      timing('resolve', 0, 0.4),
      ...references.map((reference) => timing('lookup', 0.4, 0.3, reference.split(':')[1])),
      timing('build', 0.8, 20),
      ...steps('push', 21),
      ...references.map((reference) => timing('read-back', 33.5, 0.2, reference.split(':')[1])),
    ],
    digests: new Map(references.map((reference) => [reference, DIGEST])),
    imageId: 'sha256:feed',
    imageSize: 45_200_000,
    cache: { cached: 5, steps: 7 },
  };
}

const chartRows = (markdown: string) => markdown.split('\n').filter((line) => / : \d+, \d+$/.test(line));

describe('a summary that reads at a glance', () => {
  it('3 repositories × 20 tags: about 120 lines at most, a dozen chart rows at most', () => {
    const markdown = renderSummary(bigRun(3, 20));
    expect(markdown.split('\n').length).toBeLessThanOrEqual(120);
    const rows = chartRows(markdown);
    expect(rows.length).toBeLessThanOrEqual(12);
    expect(rows.map((row) => row.slice(0, row.lastIndexOf(' : ')).trim())).toEqual([
      'resolve 0.4 s',
      '60 lookups side by side 0.3 s',
      'build 20 s',
      '60 pushes one by one 12 s',
      '60 read-backs side by side 0.2 s',
    ]);
    // The headline: what went where, build time, cache hits, size, the digest shortened.
    expect(markdown.split('\n')[2]).toBe(
      '**Pushed** 60 tags in 3 repositories · build 20 s · cache 5/7 steps · 45.2 MB · `sha256:aaaaaaaaaaaa`',
    );
    // Grouped per repository; the full list collapsed.
    expect(markdown).toContain(
      '- `ghcr.io/acme/app2`: `v1.0`, `v1.1`, `v1.2`, `v1.3`, `v1.4`, `v1.5`, `v1.6`, `v1.7` and 12 more',
    );
    expect(markdown).toContain(`All 60 pushed tags hold \`${DIGEST.slice(0, 19)}\`.`);
    expect(markdown).toContain('<summary>All 60 references</summary>');
    expect(markdown).toContain('  axisFormat %S.%L');
  });

  it('a run of a few seconds gets no chart; ten references or fewer stay one table', () => {
    const record = bigRun(1, 2);
    const short = { ...record, phases: [timing('resolve', 0, 0.3), timing('build', 0.3, 1.2)] };
    const markdown = renderSummary(short);
    expect(markdown).not.toContain('```mermaid');
    expect(markdown).toContain('| reference | tag from | digest |');
    expect(markdown).not.toContain('<summary>All');
  });

  it('build inputs are collapsed', () => {
    const markdown = renderSummary({
      ...bigRun(1, 1),
      buildOptions: ['base images pulled fresh (`--pull`)'],
    });
    const inputs = markdown.slice(markdown.indexOf('<summary>Build inputs</summary>'));
    expect(inputs).toContain('- Builder: `buildx`');
    expect(inputs).toContain('- Build: base images pulled fresh (`--pull`)');
    expect(inputs).toContain('- Image id: `sha256:feed`');
  });
});

describe('headings that name what stopped the run', () => {
  const stopped = (
    activity: Activity,
    phase: NonNullable<RunRecord['failure']>['phase'],
    message: string,
    built = false,
  ) =>
    renderSummary({
      ...newRunRecord(),
      images: ['ghcr.io/acme/app'],
      references: ['ghcr.io/acme/app:main'],
      phases: [timing('resolve', 0, 0.2), timing(activity, 0.2, 9)],
      imageId: built ? 'sha256:feed' : undefined,
      failure: { activity, phase, message, exitCode: 1, output: [], location: undefined },
    });

  it.each<[string, Activity, NonNullable<RunRecord['failure']>['phase'], string]>([
    [
      'a tag collision',
      'lookup',
      'push',
      '## ❌ Stopped by the tag collision check: nothing was built or pushed: `ghcr.io/acme/app`',
    ],
    ['failed tests', 'tests', 'tests', '## ❌ Tests failed: nothing was built or pushed: `ghcr.io/acme/app`'],
    ['a failed build', 'build', 'build', '## ❌ Build failed: nothing was pushed: `ghcr.io/acme/app`'],
    [
      'the size gate',
      'size check',
      'size check',
      '## ❌ Image grew more than `max-size-increase` allows: nothing was pushed: `ghcr.io/acme/app`',
    ],
    ['a failed push', 'push', 'push', '## ❌ Push failed: `ghcr.io/acme/app`'],
  ])('%s', (_label, activity, phase, heading) => {
    expect(stopped(activity, phase, 'why').split('\n')[0]).toBe(heading);
  });

  it('nothing about pushes when nothing was built: no references, no chart, no "not pushed"', () => {
    const markdown = stopped(
      'lookup',
      'push',
      'Tag collision: ghcr.io/acme/app:main holds refs/heads/other. Nothing was pushed.',
    );
    expect(markdown).not.toContain('not pushed |');
    expect(markdown).not.toContain('```mermaid');
    expect(markdown).not.toContain('| reference |');
  });

  it.each<[string, number, string]>([
    ['one line of output', 1, 'Test output (1 line)'],
    ['a few lines', 4, 'Test output (4 lines)'],
    ['more than the summary shows', 45, 'Test output (last 30 lines)'],
  ])('failed tests with %s: the count says what is shown', (_label, count, title) => {
    const output = Array.from({ length: count }, (_, i) => `line ${i}`);
    const markdown = renderSummary({
      ...newRunRecord(),
      images: ['ghcr.io/acme/app'],
      failure: {
        activity: 'tests',
        phase: 'tests',
        message: 'Tests failed',
        exitCode: 3,
        output,
        location: undefined,
      },
    });
    expect(markdown).toContain(`<summary>${title}</summary>`);
  });

  it('a long message is wrapped prose, its fix in sight, not a one-line code block', () => {
    const message = `Tag collision: ${'x'.repeat(300)}. Rename one of the refs, or set \`on-collision\` to warn.`;
    const markdown = stopped('lookup', 'push', message);
    expect(markdown).toContain(
      `> Tag collision: ${'x'.repeat(300)}. Rename one of the refs, or set \\\`on-collision\\\` to warn.  `,
    );
    expect(markdown).not.toContain('```text');
  });
});

describe('a failed build', () => {
  it("shows the failing step's own lines first, not the cache import's harmless error", () => {
    const output = [
      '#5 importing cache manifest from ghcr.io/acme/app:main',
      '#5 ERROR: failed to configure registry cache importer: ghcr.io/acme/app:main: not found',
      '#9 [3/4] RUN make',
      '#9 0.311 make: *** No rule to make target',
      '#9 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
      'ERROR: failed to solve: exit code: 2',
    ];
    const markdown = renderSummary({
      ...newRunRecord(),
      images: ['ghcr.io/acme/app'],
      failure: {
        activity: 'build',
        phase: 'build',
        message:
          'Build failed at [3/4] RUN make: make: *** No rule to make target (exit code: 2); nothing was pushed.',
        exitCode: 1,
        output,
        location: { file: 'Dockerfile', line: 3 },
      },
    });
    const firstBlock = markdown.slice(markdown.indexOf('```text'));
    expect(firstBlock.split('\n').slice(0, 4)).toEqual(['```text', output[2], output[3], output[4]]);
    expect(markdown.indexOf('cache importer')).toBeGreaterThan(markdown.indexOf('<summary>Build output'));
    expect(markdown).toContain('> At `Dockerfile:3`: Build failed at \\[3/4\\] RUN make');
  });
});
