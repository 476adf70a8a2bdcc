import { markdownCode, markdownText } from '../shared/markdown.js';
import type { FirstMiss } from '../docker/build-steps.js';
import { dockerfileLine, instructionAt, stageArgs } from '../plan/dockerfile-lines.js';
import type { CacheSource, SlowStage, SourceLocation } from '../record/run-record.js';

/** What the run knew about its cache, for the reasons a step did not come from it. */
export interface CacheFacts {
  /** `no-cache: true`. */
  noCache: boolean;
  /** `every stage`: a registry cache with mode=max; `inline`: the final stage only; `none`: cache: false. */
  mode: 'every stage' | 'inline' | 'user' | 'none';
  /** The cache image the run found (its reference, the commit it was built from, its base); undefined: none. */
  source: CacheSource | undefined;
  /** Files changed (relative to the context) since the source's revision; undefined when unknown. */
  changed: string[] | undefined;
  /** The base image's digest now. */
  baseDigest: string | undefined;
  /** This build's `build-args`: their digest (as the label records it) and their names. */
  buildArgs: { digest: string; names: string[] };
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

/**
 * The build-args that may have changed for this step: none when the cache image's digest is unknown or
 * the same; else the names the stage declares before the step (`declared`), which BuildKit hands to
 * its steps from there on. A name that is no build-arg now may have been one then (removed), so the
 * stage's ARGs all count when none of them is one now.
 */
function changedArgs(facts: CacheFacts, declared: readonly string[] | undefined): string[] | undefined {
  const before = facts.source?.buildArgs;
  if (before === undefined || before === facts.buildArgs.digest || declared === undefined) return undefined;
  if (declared.length === 0) return undefined;
  const now = declared.filter((name) => facts.buildArgs.names.includes(name));
  return now.length > 0 ? now : [...declared];
}

/**
 * Why a stage's first step missed the cache, as far as the run can know. `declared`: the ARG names
 * its stage declares before the step (undefined when the Dockerfile could not be read).
 */
export function missReason(miss: FirstMiss, facts: CacheFacts, declared?: readonly string[]): string {
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
  // The label is the final stage's base: another stage may start from another image.
  const finalStage = miss.step.stage === facts.finalStage;
  if (
    finalStage &&
    miss.step.index <= 2 &&
    source.baseDigest !== undefined &&
    facts.baseDigest !== undefined
  ) {
    if (source.baseDigest !== facts.baseDigest) return `the base image moved${since}`;
  }
  if (/^(COPY|ADD)\s+--from[= ]/i.test(miss.step.instruction)) return 'the stage it copies from was rebuilt';
  const args = changedArgs(facts, declared);
  if (args !== undefined) {
    // The label holds one digest: which of the stage's arguments changed is not known.
    return `\`build-args\` changed${since}; this stage reads ${args.map((name) => markdownCode(name)).join(', ')}`;
  }
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
    const declared = dockerfile === undefined ? undefined : stageArgs(dockerfile.text, miss.step.stage, line);
    // The Dockerfile's own text where it was found: BuildKit's fills in the build-args' values.
    const written =
      line === undefined || dockerfile === undefined ? undefined : instructionAt(dockerfile.text, line);
    return {
      stage: miss.step.stage,
      instruction: written ?? miss.step.instruction,
      location,
      seconds: miss.seconds,
      reason: missReason(miss, facts, declared),
    };
  });
}
