import { markdownCode, markdownText } from '../shared/markdown.js';
import type { FirstMiss } from '../docker/build-steps.js';
import { dockerfileLine } from '../plan/dockerfile-lines.js';
import type { SlowStage, SourceLocation } from '../record/run-record.js';

/** What the run knew about its cache, for the reasons a step did not come from it. */
export interface CacheFacts {
  /** `no-cache: true`. */
  noCache: boolean;
  /** `every stage`: a registry cache with mode=max; `inline`: the final stage only; `none`: cache: false. */
  mode: 'every stage' | 'inline' | 'user' | 'none';
  /** The cache image the run found (its reference, the commit it was built from, its base); undefined: none. */
  source: { reference: string; revision: string | undefined; baseDigest: string | undefined } | undefined;
  /** Files changed (relative to the context) since the source's revision; undefined when unknown. */
  changed: string[] | undefined;
  /** The base image's digest now. */
  baseDigest: string | undefined;
  /** The stages the final image copies from or starts from are not the last; the final stage's label. */
  finalStage: string | undefined;
}

/** The sources of a COPY or ADD as BuildKit shows it (`COPY --chown=1 a b /dst/`), flags and destination left out. */
function copySources(instruction: string): string[] | undefined {
  const match = /^(COPY|ADD)\s+(.*)$/i.exec(instruction);
  if (match?.[2] === undefined) return undefined;
  if (/--from[= ]/.test(match[2])) return undefined;
  let parts: string[];
  try {
    parts = match[2].trim().startsWith('[') ? (JSON.parse(match[2]) as string[]) : match[2].split(/\s+/);
  } catch {
    parts = match[2].split(/\s+/);
  }
  return parts.filter((part) => !part.startsWith('--')).slice(0, -1);
}

function globPattern(source: string): RegExp {
  const clean = source.replace(/^\.\/+/, '').replace(/\/+$/, '');
  const body = clean
    .split(/(\*\*|\*|\?)/)
    .map((part) =>
      part === '**'
        ? '.*'
        : part === '*'
          ? '[^/]*'
          : part === '?'
            ? '[^/]'
            : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  // A directory source takes everything under it.
  return new RegExp(clean === '' || clean === '.' ? '^' : `^${body}(?:/.*)?$`);
}

/** The changed files a COPY or ADD reads; undefined when the instruction is not one. */
export function changedSources(instruction: string, changed: readonly string[]): string[] | undefined {
  const sources = copySources(instruction);
  if (sources === undefined) return undefined;
  const patterns = sources.map(globPattern);
  return changed.filter((file) => patterns.some((pattern) => pattern.test(file)));
}

function shortSha(sha: string): string {
  return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 7) : sha;
}

function listed(files: readonly string[]): string {
  const shown = files.slice(0, 3).join(', ');
  return files.length > 3 ? `${shown} and ${files.length - 3} more` : shown;
}

/** Why a stage's first step missed the cache, as far as the run can know. */
export function missReason(miss: FirstMiss, facts: CacheFacts): string {
  if (facts.noCache) return '`no-cache` is set';
  if (facts.mode === 'none') return 'no cache (`cache: false`)';
  if (facts.source === undefined) return 'no cache source: no image of this branch or the default branch yet';
  const { source } = facts;
  if (facts.mode === 'inline' && miss.step.stage !== facts.finalStage) {
    return 'this stage is not in the cache: docker\'s overlay2 image store keeps only the final stage (inline cache), so a fresh runner rebuilds this stage from here; the containerd image store (`"features": {"containerd-snapshotter": true}` in daemon.json, the default of new Docker Engine 29 installs) or a builder of its own (`builder`, e.g. from docker/setup-buildx-action) caches every stage';
  }
  const since = source.revision === undefined ? '' : ` since ${shortSha(source.revision)}`;
  if (facts.changed !== undefined) {
    const files = changedSources(miss.step.instruction, facts.changed);
    if (files !== undefined && files.length > 0) return `${markdownText(listed(files))} changed${since}`;
  }
  if (miss.step.index <= 2 && source.baseDigest !== undefined && facts.baseDigest !== undefined) {
    if (source.baseDigest !== facts.baseDigest) return `the base image moved${since}`;
  }
  if (/^(COPY|ADD)\s+--from[= ]/i.test(miss.step.instruction)) return 'the stage it copies from was rebuilt';
  return `not in the cache of ${markdownCode(source.reference)}`;
}

/** One line per stage that ran steps: where it stopped hitting the cache, why, and the seconds from there. */
export function slowStages(
  misses: readonly FirstMiss[],
  facts: CacheFacts,
  dockerfile: { file: string | undefined; text: string } | undefined,
): SlowStage[] {
  return misses.map((miss) => {
    const line =
      dockerfile === undefined
        ? undefined
        : dockerfileLine(dockerfile.text, {
            kind: 'buildx',
            stage: miss.step.stage,
            instruction: miss.step.instruction,
          });
    const location: SourceLocation | undefined =
      line === undefined || dockerfile?.file === undefined ? undefined : { file: dockerfile.file, line };
    return {
      stage: miss.step.stage,
      instruction: miss.step.instruction,
      location,
      seconds: miss.seconds,
      reason: missReason(miss, facts),
    };
  });
}
