import type { Finding } from '../audit/finding.js';
import { markdownCode as code, markdownText } from '../shared/markdown.js';
import { formatSeconds } from '../shared/duration.js';
import { outcomeOf, type Failure, type PhaseTiming, type RunRecord } from '../record/run-record.js';

const SHOWN_OUTPUT_LINES = 30;

/** A fenced block longer than any backtick run inside it, so output cannot close it early. */
function block(lines: readonly string[], language = 'text'): string[] {
  const longest = Math.max(2, ...lines.flatMap((line) => (line.match(/`+/g) ?? []).map((r) => r.length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines, fence];
}

/** Bytes as docker shows them (powers of 1000). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit] ?? ''}`;
}

const HEADINGS = {
  pushed: '✅ Pushed',
  'built only': '✅ Built (not pushed)',
  'dry run': '📝 Dry run (nothing was run)',
  unchanged: '✅ Nothing to rebuild',
} as const;

function heading(record: RunRecord): string {
  const outcome = outcomeOf(record);
  const title =
    outcome in HEADINGS ? HEADINGS[outcome as keyof typeof HEADINGS] : `❌ ${capitalised(outcome)}`;
  const image = record.images.length > 0 ? `: ${record.images.map(code).join(', ')}` : '';
  return `## ${title}${image}`;
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function outputDetails(title: string, output: readonly string[]): string[] {
  if (output.length === 0) return [];
  const shown = output.slice(-SHOWN_OUTPUT_LINES);
  return [
    '',
    '<details>',
    `<summary>${title} (last ${shown.length} lines)</summary>`,
    '',
    ...block(shown),
    '',
    '</details>',
  ];
}

function failureSection(failure: Failure): string[] {
  const exit = failure.exitCode === undefined ? '' : ` with exit code ${failure.exitCode}`;
  switch (failure.phase) {
    case 'tests':
      return [
        `**The tests failed${exit}**; nothing was built or pushed.`,
        ...outputDetails('Test output', failure.output),
      ];
    case 'test in image':
      return [
        `**The test inside the image failed${exit}**; nothing was pushed.`,
        ...outputDetails('Output of the test inside the image', failure.output),
      ];
    case 'build': {
      const where =
        failure.location === undefined
          ? ''
          : ` at ${code(`${failure.location.file}:${failure.location.line}`)}`;
      return [
        `**The build failed${where}${exit}**; nothing was pushed.`,
        '',
        ...block(failure.message.split('\n')),
        ...outputDetails('Build output', failure.output),
      ];
    }
    default:
      return [`**${capitalised(failure.phase)} failed${exit}.**`, '', ...block(failure.message.split('\n'))];
  }
}

function referenceTable(record: RunRecord): string[] {
  if (record.references.length === 0) return [];
  const digests = new Map(record.digests);
  const notPushed = record.dryRun ? 'dry run' : record.push ? 'not pushed' : 'push: false';
  const rows = record.references.map((reference) => {
    const tag = reference.slice(reference.lastIndexOf(':') + 1);
    const origin = record.tags.find((t) => t.tag === tag);
    const from =
      origin === undefined
        ? ''
        : `${origin.source === tag ? '' : `${code(origin.source)} → `}${code(tag)} (${markdownText(origin.rule)})`;
    const digest = digests.get(reference);
    return `| ${code(reference)} | ${from} | ${digest === undefined ? notPushed : code(digest)} |`;
  });
  const unchanged =
    record.alreadyInRegistry.length === 0
      ? []
      : ['', 'The registry already held this very image at these tags, so nothing needed uploading.'];
  return ['', '| reference | tag from | digest |', '| --- | --- | --- |', ...rows, ...unchanged];
}

function imageFacts(record: RunRecord): string[] {
  const facts: string[] = [];
  if (record.imageId !== undefined) facts.push(`- Image id: ${code(record.imageId)}`);
  if (record.imageSize !== undefined) facts.push(`- Size: ${formatBytes(record.imageSize)}`);
  if (record.cache !== undefined)
    facts.push(`- Cache: ${record.cache.cached} of ${record.cache.steps} build steps came from the cache`);
  if (record.builder !== undefined) facts.push(`- Builder: \`${record.builder}\``);
  if (record.buildOptions.length > 0) facts.push(`- Build: ${record.buildOptions.join('; ')}`);
  return facts.length === 0 ? [] : ['', ...facts];
}

/** The base image: unchanged (nothing built), changed (old and new digests), or just recorded. */
function baseSection(record: RunRecord): string[] {
  const { base, rebuild } = record;
  if (base === undefined) return [];
  const digest = base.digest === undefined ? 'digest not read' : code(base.digest);
  if (rebuild === undefined) return ['', `Base image: ${code(base.name)} (${digest})`];
  if (!rebuild.rebuilt) {
    const since = rebuild.since === undefined ? '' : ` since ${markdownText(rebuild.since)}`;
    return ['', `Base ${code(base.name)} unchanged${since}, nothing to rebuild (${digest}).`];
  }
  const change =
    rebuild.previousDigest === undefined
      ? `no earlier base digest → ${digest}`
      : `${code(rebuild.previousDigest)} → ${digest}`;
  return ['', `Rebuilt on base ${code(base.name)}: ${change}.`, '', `Why: ${markdownText(rebuild.reason)}.`];
}

/** What the phase chart calls each kind of step. */
const CHART_NAMES: Record<PhaseTiming['kind'], string> = {
  resolve: 'resolve',
  test: 'tests',
  login: 'login',
  lookup: 'lookup',
  'cache-pull': 'cache pull',
  build: 'build',
  check: 'build',
  'test-in-image': 'test in image',
  push: 'push',
  verify: 'read-back',
  'platform-image': 'lookup',
  index: 'push',
};

/** What ran, its tag and how long it took, in the letters, digits and `._-` Mermaid reads as a name. */
function taskName(timing: PhaseTiming): string {
  // The plan's references always have a tag (`host:5000/app:v1` → `v1`).
  const tag = timing.reference?.slice(timing.reference.lastIndexOf(':') + 1);
  const name = tag === undefined ? CHART_NAMES[timing.kind] : `${CHART_NAMES[timing.kind]} ${tag}`;
  return `${name} ${formatSeconds(timing.seconds)}`.replace(/[^\p{L}\p{N} ._-]/gu, ' ');
}

function phaseChart(phases: readonly PhaseTiming[]): string[] {
  if (phases.length === 0) return [];
  const tasks = phases.map((timing) => {
    const start = Math.round(timing.start * 1000);
    const end = Math.max(start + 1, Math.round((timing.start + timing.seconds) * 1000));
    return `  ${taskName(timing)} : ${start}, ${end}`;
  });
  return [
    '',
    '```mermaid',
    'gantt',
    '  title Phases (seconds)',
    '  dateFormat x',
    '  axisFormat %s',
    '  section run',
    ...tasks,
    '```',
  ];
}

function auditSection(findings: readonly Finding[] | undefined): string[] {
  if (findings === undefined) return [];
  if (findings.length === 0) return ['', '### Dockerfile audit', '', 'No findings.'];
  return [
    '',
    '### Dockerfile audit',
    '',
    '| rule | where | finding |',
    '| --- | --- | --- |',
    // The finding's Markdown escapes what it quotes of the Dockerfile; the rest is the rule's own.
    ...findings.map((f) => `| ${code(f.rule)} | ${markdownText(`${f.file}:${f.line}`)} | ${f.markdown} |`),
  ];
}

/** Markdown for the job summary, from the run's record alone. Pure; holds nothing secret. */
export function renderSummary(record: RunRecord): string {
  const lines = [heading(record)];
  if (record.failure !== undefined) lines.push('', ...failureSection(record.failure));
  lines.push(
    ...baseSection(record),
    ...referenceTable(record),
    ...imageFacts(record),
    ...phaseChart(record.phases),
    ...auditSection(record.audit),
  );
  return `${lines.join('\n')}\n`;
}
