import { parseImageRef } from '../shared/image-reference.js';
import type { Finding } from '../audit/finding.js';
import { formatBytes } from '../docker/size-change.js';
import { formatSeconds } from '../shared/duration.js';
import { phaseChart } from './phase-chart.js';
import { referenceSection } from './reference-list.js';
import { markdownCode as code, markdownText } from '../shared/markdown.js';
import {
  outcomeOf,
  type Failure,
  type RunRecord,
  type SizeRecord,
  type SlowStage,
} from '../record/run-record.js';

// Blocks of outside text in the summary: fenced output, and messages as wrapped prose.

/** A fenced block longer than any backtick run inside it, so output cannot close it early. */
function block(lines: readonly string[], language = 'text'): string[] {
  const longest = Math.max(2, ...lines.flatMap((line) => (line.match(/`+/g) ?? []).map((r) => r.length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines, fence];
}

/**
 * A message as a quoted paragraph the page wraps (a code block would run off the side in one
 * line): each line escaped as text, line breaks kept; `lead` (Markdown already) opens the first.
 */
function prose(message: string, lead = ''): string[] {
  return message
    .split(/\r?\n/)
    .map((line, index) => `${index === 0 ? lead : ''}${markdownText(line)}`)
    .map((line) => (line.trim() === '' ? '>' : `> ${line}  `));
}

const SHOWN_OUTPUT_LINES = 30;

const HEADINGS = {
  pushed: '✅ Pushed',
  'built only': '✅ Built (not pushed)',
  'dry run': '📝 Dry run (nothing was run)',
  unchanged: '✅ Nothing to rebuild',
} as const;

/** What really stopped the run, in the words a reader looks for. */
function failureTitle(failure: Failure): string {
  switch (failure.activity) {
    case 'tests':
      return 'Tests failed: nothing was built or pushed';
    case 'login':
      return 'Login failed: nothing was built or pushed';
    case 'lookup':
      return 'Stopped by the tag collision check: nothing was built or pushed';
    case 'cache pull':
    case 'build':
      return 'Build failed: nothing was pushed';
    case 'test in image':
      return 'Test inside the image failed: nothing was pushed';
    case 'size check':
      return 'Image grew more than `max-size-increase` allows: nothing was pushed';
    case 'push':
      return 'Push failed';
    case 'read-back':
      return 'The pushed digests could not be confirmed';
    default:
      return failure.phase === 'resolve' ? 'Stopped before anything ran' : `Failed at ${failure.phase}`;
  }
}

function heading(record: RunRecord): string {
  const outcome = outcomeOf(record);
  const title =
    record.failure !== undefined
      ? `❌ ${failureTitle(record.failure)}`
      : HEADINGS[outcome as keyof typeof HEADINGS];
  const image = record.images.length > 0 ? `: ${record.images.map(code).join(', ')}` : '';
  return `## ${title}${image}`;
}

/** Whether the run got as far as an image (built, or pushed by buildx itself). */
function built(record: RunRecord): boolean {
  return record.imageId !== undefined || record.digests.size > 0;
}

/** One line: what was pushed where, build time, cache hits, size, the digest shortened. */
function headline(record: RunRecord): string[] {
  if (!built(record)) return [];
  const repositories = new Set(record.references.map((reference) => parseImageRef(reference).name));
  const tags = record.references.length;
  const where = `${tags} tag${tags === 1 ? '' : 's'}${repositories.size > 1 ? ` in ${repositories.size} repositories` : ''}`;
  const pushed = record.digests.size > 0 || record.alreadyInRegistry.length > 0;
  const facts = [
    pushed ? `**Pushed** ${where}` : `**Built** ${where}`,
    ...record.phases.filter((p) => p.activity === 'build').map((p) => `build ${formatSeconds(p.seconds)}`),
    ...(record.cache === undefined ? [] : [`cache ${record.cache.cached}/${record.cache.steps} steps`]),
    ...(record.imageSize === undefined ? [] : [formatBytes(record.imageSize)]),
    ...[...record.digests.values()].slice(0, 1).map((digest) => code(digest.slice(0, 19))),
  ];
  return ['', facts.join(' · ')];
}

/** A registry cache export stopped at `push-timeout` after the image was made (see push-deadline.ts). */
function cacheExportSection(record: RunRecord): string[] {
  const stopped = record.cacheExportStopped;
  if (stopped === undefined || !built(record)) return [];
  return [
    '',
    `⚠️ The registry cache export to ${code(stopped.target)} ran past \`push-timeout\` (${stopped.seconds} s) and was stopped; the image was made before it. The next run reads an older cache, or none.`,
  ];
}

/** The lines BuildKit printed for the failing step (`#7 …` up to its `#7 ERROR`), else none. */
function failingStepBlock(output: readonly string[]): string[] {
  const id = [...output]
    .reverse()
    .map((line) => /^#(\d+) ERROR\b/.exec(line.trim())?.[1])
    .find(Boolean);
  if (id === undefined) return [];
  return output.filter((line) => line.trim().startsWith(`#${id} `)).slice(-SHOWN_OUTPUT_LINES);
}

/** `last 30 lines` when the output was cut, else all of it: `1 line`, `4 lines`. */
function linesShown(shown: number, total: number): string {
  if (shown < total) return `last ${shown} lines`;
  return shown === 1 ? '1 line' : `${shown} lines`;
}

function outputDetails(title: string, output: readonly string[]): string[] {
  if (output.length === 0) return [];
  const shown = output.slice(-SHOWN_OUTPUT_LINES);
  return [
    '',
    '<details>',
    `<summary>${title} (${linesShown(shown.length, output.length)})</summary>`,
    '',
    ...block(shown),
    '',
    '</details>',
  ];
}

function failureSection(failure: Failure): string[] {
  const where =
    failure.location === undefined ? '' : `At ${code(`${failure.location.file}:${failure.location.line}`)}: `;
  const lines = ['', ...prose(failure.message, where)];
  if (failure.phase === 'build') {
    const own = failingStepBlock(failure.output);
    const first = own.length > 0 ? ['', ...block(own)] : [];
    return [...lines, ...first, ...outputDetails('Build output', failure.output)];
  }
  if (failure.phase === 'tests') return [...lines, ...outputDetails('Test output', failure.output)];
  if (failure.phase === 'test in image') {
    return [...lines, ...outputDetails('Output of the test inside the image', failure.output)];
  }
  return lines;
}

/** Per stage that ran steps: the first step not from the cache, why, and the seconds from there. */
function slowSection(stages: readonly SlowStage[]): string[] {
  if (stages.length === 0) return [];
  const lines = stages.map((stage) => {
    const where =
      stage.location === undefined ? '' : `${code(`${stage.location.file}:${stage.location.line}`)} `;
    const name = stage.stage === undefined ? '' : ` (stage ${code(stage.stage)})`;
    return `- ${where}${code(stage.instruction)}${name}: ${stage.reason} — ${formatSeconds(stage.seconds)} from here`;
  });
  return ['', '**Not from the cache:**', '', ...lines];
}

/** The growth against the default branch's image, and the layers that grew most with their lines. */
function sizeSection(size: SizeRecord | undefined): string[] {
  if (size === undefined) return [];
  const layers = size.grew.map((layer) => {
    const where =
      layer.location === undefined ? '' : `${code(`${layer.location.file}:${layer.location.line}`)} `;
    const what = layer.instruction === undefined ? 'a layer' : code(layer.instruction);
    return `- ${where}${what}: +${formatBytes(layer.bytes)}`;
  });
  return [
    '',
    `**Size:** ${markdownText(size.change)} (compressed)`,
    ...(layers.length > 0 ? ['', ...layers] : []),
  ];
}

/** The base image: unchanged (nothing built) or rebuilt on a new digest; a plain record goes to the inputs. */
function rebuildSection(record: RunRecord): string[] {
  const { base, rebuild } = record;
  if (base === undefined || rebuild === undefined) return [];
  const digest = base.digest === undefined ? 'digest not read' : code(base.digest);
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

/** How the image was built, collapsed: builder, options, base, image id and sizes. */
function buildInputs(record: RunRecord): string[] {
  const facts: string[] = [];
  if (record.builder !== undefined) facts.push(`- Builder: \`${record.builder}\``);
  if (record.buildOptions.length > 0) facts.push(`- Build: ${record.buildOptions.join('; ')}`);
  if (record.base !== undefined && record.rebuild === undefined) {
    const digest = record.base.digest === undefined ? 'digest not read' : code(record.base.digest);
    facts.push(`- Base image: ${code(record.base.name)} (${digest})`);
  }
  if (record.imageId !== undefined) facts.push(`- Image id: ${code(record.imageId)}`);
  if (record.imageSize !== undefined) facts.push(`- Size: ${formatBytes(record.imageSize)} unpacked`);
  if (record.cache !== undefined)
    facts.push(`- Cache: ${record.cache.cached} of ${record.cache.steps} build steps came from the cache`);
  if (facts.length === 0) return [];
  return ['', '<details>', '<summary>Build inputs</summary>', '', ...facts, '', '</details>'];
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
  const lines = [heading(record), ...headline(record)];
  if (record.failure !== undefined) lines.push(...failureSection(record.failure));
  const showReferences = built(record) || record.dryRun;
  lines.push(
    ...cacheExportSection(record),
    ...rebuildSection(record),
    ...slowSection(record.slowStages),
    ...sizeSection(record.size),
    ...(showReferences ? referenceSection(record) : []),
    ...(built(record) ? phaseChart(record.phases) : []),
    ...auditSection(record.audit),
    ...buildInputs(record),
  );
  return `${lines.join('\n')}\n`;
}
