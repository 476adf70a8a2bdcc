// What a build prints: the step it stopped at, what that step said, the cache hits, buildx's metadata.
/** Where Docker says a build stopped, before it is mapped to a Dockerfile line. */
export type FailedStep =
  /** Newer BuildKit prints the source itself: `Dockerfile:3` above the lines it marks with `>>>`. */
  | { kind: 'source'; line: number }
  /** buildx names the vertex: ` > [build 2/3] RUN make:`; `stage` is undefined for `[2/3]`. */
  | { kind: 'buildx'; stage: string | undefined; instruction: string }
  /** The classic builder numbers every instruction: `Step 3/4 : RUN make`. */
  | { kind: 'classic'; step: number; instruction: string };

const SOURCE_HEADER = /^(?:\S*\/)?[^/\s]+:(\d+)$/;
const BUILDX_VERTEX = /^\s*> \[([^\]]+)\] (.+?):?$/;
const CLASSIC_STEP = /^Step (\d+)\/\d+ : (.+)$/;

function buildxStage(label: string): string | undefined {
  // "[build 2/3]" → "build"; "[2/3]" → no stage name.
  const parts = label.trim().split(/\s+/);
  return parts.length > 1 ? parts.slice(0, -1).join(' ') : undefined;
}

/** Parses a classic `Step k/n : INSTR` line. */
export function classicStep(line: string): { step: number; instruction: string } | undefined {
  const match = CLASSIC_STEP.exec(line.trim());
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { step: Number(match[1]), instruction: match[2] };
}

/**
 * The step a failed build stopped at. Prefers BuildKit's own `Dockerfile:N` source block, then
 * buildx's failing vertex, then the last classic `Step k/n`.
 */
export function failedBuildStep(lines: readonly string[]): FailedStep | undefined {
  for (let i = lines.length - 2; i >= 0; i--) {
    const header = SOURCE_HEADER.exec((lines[i] ?? '').trim());
    if (header?.[1] !== undefined && /^-{10,}$/.test((lines[i + 1] ?? '').trim())) {
      return { kind: 'source', line: Number(header[1]) };
    }
  }
  for (const line of [...lines].reverse()) {
    const buildx = BUILDX_VERTEX.exec(line);
    if (buildx?.[1] !== undefined && buildx[2] !== undefined) {
      return { kind: 'buildx', stage: buildxStage(buildx[1]), instruction: buildx[2] };
    }
    const classic = classicStep(line);
    if (classic !== undefined) return { kind: 'classic', ...classic };
  }
  return undefined;
}

/**
 * The build instruction that failed: buildx prints ` > [stage 2/3] RUN ...:` before its error block,
 * the classic builder `Step 2/3 : RUN ...` before running each step.
 */
export function failingBuildStep(lines: readonly string[]): string | undefined {
  for (const line of [...lines].reverse()) {
    const buildx = BUILDX_VERTEX.exec(line);
    if (buildx?.[1] !== undefined && buildx[2] !== undefined) return `[${buildx[1]}] ${buildx[2]}`;
    const classic = /^Step (\d+\/\d+) : (.+)$/.exec(line.trim());
    if (classic?.[1] !== undefined && classic[2] !== undefined) return `step ${classic[1]}: ${classic[2]}`;
  }
  return undefined;
}

/** The manifest digest buildx records in its `--metadata-file` when it pushed the image itself. */
export function parseBuildMetadata(text: string): string | undefined {
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const digest = (metadata as Record<string, unknown>)['containerimage.digest'];
  return typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
}

// Terminal colour codes: the classic builder wraps a step's stderr in them.
const ANSI = new RegExp(String.raw`\x1b\[[0-9;]*m`, 'g');

/** A line a failing program prints to say why. */
const CAUSE = /error|fail|denied|no space|not found|no such|cannot|fatal|exception|traceback/i;

/**
 * What the failing build step printed about why (`dd: … No space left on device`), which says far
 * more than docker's own "exit code: 1": its last line that reads like an error, else its last line.
 * buildx prefixes a step's output with `#<id> <seconds>`; the classic builder prints it plainly
 * before "returned a non-zero code".
 */
export function failingStepOutput(lines: readonly string[]): string | undefined {
  const clean = lines.map((line) => line.replace(ANSI, '').trim());
  const failed = [...clean]
    .reverse()
    .map((line) => /^#(\d+) ERROR\b/.exec(line)?.[1])
    .find(Boolean);
  if (failed !== undefined) {
    const printed = clean.map((line) => new RegExp(`^#${failed} \\d+\\.\\d+ (.+)$`).exec(line)?.[1]);
    return cause(printed.filter((text): text is string => text !== undefined));
  }
  const end = clean.findIndex((line) => /returned a non-zero code/.test(line));
  if (end === -1) return undefined;
  const before = clean.slice(0, end).reverse();
  const stop = before.findIndex((line) => /^---> Running in |^Step \d+\/\d+ : /.test(line));
  return cause((stop === -1 ? before : before.slice(0, stop)).filter((line) => line !== '').reverse());
}

function cause(printed: readonly string[]): string | undefined {
  return [...printed].reverse().find((line) => CAUSE.test(line)) ?? printed[printed.length - 1];
}

/** How many build steps (FROM excluded: it is a pull, not a step) came from the cache. */
export interface CacheStats {
  cached: number;
  steps: number;
}

const BUILDX_STEP = /^#(\d+) \[(?!internal\]|auth\])[^\]]+\] (\S+)/;
// CACHED, or a layer downloaded from the registry cache instead of the step running (see build-steps.ts).
const BUILDX_CACHED = /^#(\d+) (?:CACHED$|(?:extracting )?sha256:[0-9a-f]{64}\b)/;

/**
 * Counts build steps and cache hits line by line as the build prints them, so that a long build
 * is counted in full (the runner keeps only the last lines). Also remembers the last classic step,
 * which a step printing many lines would push out of that tail.
 */
export class BuildOutputCounter {
  readonly #buildxSteps = new Set<string>();
  readonly #buildxCached = new Set<string>();
  #classicSteps = 0;
  #classicCached = 0;
  #lastClassic: { step: number; instruction: string } | undefined;

  add(line: string): void {
    const text = line.trim();
    const buildx = BUILDX_STEP.exec(text);
    if (buildx?.[1] !== undefined && buildx[2]?.toUpperCase() !== 'FROM') this.#buildxSteps.add(buildx[1]);
    const cached = BUILDX_CACHED.exec(text);
    if (cached?.[1] !== undefined) this.#buildxCached.add(cached[1]);
    const classic = classicStep(text);
    if (classic !== undefined) {
      this.#lastClassic = classic;
      if (!/^FROM\b/i.test(classic.instruction)) this.#classicSteps++;
    }
    if (text === '---> Using cache') this.#classicCached++;
  }

  /** Undefined when the output showed no build step at all. */
  cache(): CacheStats | undefined {
    const buildxCached = [...this.#buildxCached].filter((id) => this.#buildxSteps.has(id)).length;
    const steps = this.#buildxSteps.size + this.#classicSteps;
    if (steps === 0) return undefined;
    return { cached: buildxCached + this.#classicCached, steps };
  }

  /** The last `Step k/n` the classic builder started. */
  lastClassicStep(): FailedStep | undefined {
    return this.#lastClassic === undefined ? undefined : { kind: 'classic', ...this.#lastClassic };
  }
}
