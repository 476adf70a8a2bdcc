// Reading what docker prints: the engine probe, pushed digests, and the line that explains a failure.
import type { DaemonApi } from './local-images.js';

/** What the engine probe found. */
export interface Engine {
  /** Build with `docker buildx build` (plugin present) or the classic `docker build`. */
  buildx: boolean;
  /** Daemon version, for the log. */
  serverVersion: string;
  /** Where the probe reached the daemon without the CLI; later local image reads go there too. */
  daemonApi?: DaemonApi;
  /** Registries the daemon talks plain HTTP to; undefined: the daemon's default (127.0.0.0/8). */
  insecureRegistries?: { hosts: string[]; cidrs: string[] };
}

export class EngineError extends Error {}

/** The fields of `docker info --format '{{json .}}'` (and of the daemon's `GET /info`) the probe reads. */
export interface DockerInfo {
  ServerVersion?: string;
  RegistryConfig?: {
    InsecureRegistryCIDRs?: string[] | null;
    IndexConfigs?: Record<string, { Name?: string; Secure?: boolean }> | null;
  };
  ServerErrors?: string[] | null;
  ClientInfo?: { Plugins?: { Name?: string; Err?: string }[] | null };
}

/** Parses `docker info --format '{{json .}}'`; throws when no daemon answered. */
export function parseEngineInfo(stdout: string, exitCode: number, tail: readonly string[]): Engine {
  let info: DockerInfo = {};
  try {
    info = JSON.parse(stdout.trim() || '{}') as DockerInfo;
  } catch {
    // Older CLIs print text on failure; the exit code and tail below still explain it.
  }
  const engine = exitCode === 0 ? engineFromInfo(info) : undefined;
  if (engine === undefined) {
    const reason =
      meaningfulLine(tail) ?? info.ServerErrors?.join('; ') ?? `docker info exited with ${exitCode}`;
    throw new EngineError(
      `The Docker daemon is not reachable: ${reason.replace(/[.?!\s]+$/, '')}. Start Docker on this runner (or set DOCKER_HOST) before this step.`,
    );
  }
  return engine;
}

/**
 * The one mapping from an info JSON to an Engine, for `docker info` and for the in-process probe
 * alike; undefined when no daemon answered (no server version).
 */
export function engineFromInfo(info: DockerInfo): Engine | undefined {
  const serverVersion = info.ServerVersion ?? '';
  if (serverVersion === '') return undefined;
  const buildx = (info.ClientInfo?.Plugins ?? []).some((plugin) => plugin.Name === 'buildx' && !plugin.Err);
  const registry = info.RegistryConfig;
  if (registry === undefined) return { buildx, serverVersion };
  const hosts = Object.values(registry.IndexConfigs ?? {})
    .filter((index) => index.Secure === false && index.Name !== undefined)
    .map((index) => index.Name ?? '');
  return {
    buildx,
    serverVersion,
    insecureRegistries: { hosts, cidrs: registry.InsecureRegistryCIDRs ?? [] },
  };
}

const DIGEST_LINE = /^(\S+): digest: (sha256:[0-9a-f]{64}) size: \d+/;

/** The digest `docker push` reports for the tag it pushed. */
export function parsePushDigest(lines: readonly string[], tag: string): string | undefined {
  for (const line of [...lines].reverse()) {
    const match = DIGEST_LINE.exec(line.trim());
    if (match?.[1] === tag && match[2] !== undefined) return match[2];
  }
  return undefined;
}

const AUTH_REFUSAL =
  /unauthorized|authentication required|no basic auth credentials|insufficient_scope|denied|forbidden/i;

/** Whether a registry refused a push for missing or insufficient credentials. */
export function isAuthRefusal(lines: readonly string[]): boolean {
  return lines.some((line) => AUTH_REFUSAL.test(line));
}

const ERROR_LINE =
  /(^ERROR\b|^error\b|^Error\b|Error response from daemon|unauthorized|denied|not found|no such|failed to|cannot|returned a non-zero code|did not complete successfully)/i;

/** The last line of a command's output that says what went wrong, without docker's noise. */
export function meaningfulLine(lines: readonly string[]): string | undefined {
  const cleaned = lines.map((line) => line.trim()).filter((line) => line !== '');
  const match = [...cleaned].reverse().find((line) => ERROR_LINE.test(line));
  return match ?? cleaned[cleaned.length - 1];
}

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

/** What `docker buildx imagetools inspect` or `docker manifest inspect` said about a tag. */
export type RemoteImage =
  | {
      found: true;
      digest: string;
      labels: Record<string, string> | undefined;
      /** The config's digest (the image id) of a single-platform manifest, when shown. */
      configDigest?: string | undefined;
    }
  | { found: false };

interface ImagetoolsImage {
  config?: { Labels?: Record<string, string> | null };
}
interface ImagetoolsJson {
  manifest?: { digest?: string };
  image?: ImagetoolsImage | Record<string, ImagetoolsImage>;
}
interface ManifestInspectJson {
  Descriptor?: { digest?: string };
  SchemaV2Manifest?: { config?: { digest?: string } };
  OCIManifest?: { config?: { digest?: string } };
}

const NOT_FOUND = /(: not found$|no such manifest|manifest unknown)/i;

function imageLabelsOf(image: ImagetoolsJson['image']): Record<string, string> {
  if (image === undefined) return {};
  // A multi-platform index gives one config per platform; the label is the same in each.
  const single: ImagetoolsImage | undefined =
    'config' in image ? image : Object.values(image as Record<string, ImagetoolsImage>)[0];
  return single?.config?.Labels ?? {};
}

/**
 * Parses `docker buildx imagetools inspect --format '{{json .}}'` (digest and labels) or
 * `docker manifest inspect --verbose` (digest only; a list gives an array, whose index digest
 * docker does not print). Throws with docker's message when the tag's presence cannot be told.
 */
export function parseRemoteImage(
  stdout: string,
  exitCode: number,
  tail: readonly string[],
  buildx: boolean,
): RemoteImage {
  if (exitCode !== 0) {
    const reason = meaningfulLine(tail) ?? `exit code ${exitCode}`;
    if (NOT_FOUND.test(reason)) return { found: false };
    throw new Error(reason);
  }
  const parsed = JSON.parse(stdout) as ImagetoolsJson | ManifestInspectJson | ManifestInspectJson[];
  if (buildx) {
    const json = parsed as ImagetoolsJson;
    const digest = json.manifest?.digest;
    if (digest === undefined) throw new Error('imagetools printed no manifest digest');
    return { found: true, digest, labels: imageLabelsOf(json.image) };
  }
  const single = Array.isArray(parsed) ? undefined : (parsed as ManifestInspectJson);
  const digest = single?.Descriptor?.digest;
  if (digest === undefined) throw new Error('docker manifest inspect printed no digest');
  const configDigest = (single?.SchemaV2Manifest ?? single?.OCIManifest)?.config?.digest;
  return { found: true, digest, labels: undefined, configDigest };
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

/** Parses `docker image inspect --format '{{json .Config.Labels}}'`: `null` is no labels. */
export function parseLocalLabels(stdout: string): Record<string, string> {
  const parsed = JSON.parse(stdout.trim() || 'null') as Record<string, string> | null;
  return parsed ?? {};
}

/** The program `docker run` could not start: `exec: "/bin/sh": stat /bin/sh: no such file or directory`. */
export function missingExecutable(lines: readonly string[]): string | undefined {
  for (const line of [...lines].reverse()) {
    const match =
      /exec: "([^"]+)": (?:stat \S+: )?(?:no such file or directory|executable file not found)/.exec(line);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

/** How many build steps (FROM excluded: it is a pull, not a step) came from the cache. */
export interface CacheStats {
  cached: number;
  steps: number;
}

const BUILDX_STEP = /^#(\d+) \[(?!internal\]|auth\])[^\]]+\] (\S+)/;
const BUILDX_CACHED = /^#(\d+) CACHED$/;

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

/** Parses `docker image inspect --format '{{.Size}}'`: the image size in bytes. */
export function parseImageSize(stdout: string): number | undefined {
  const text = stdout.trim();
  if (!/^\d+$/.test(text)) return undefined;
  const size = Number(text);
  return Number.isSafeInteger(size) ? size : undefined;
}

/** A local image as `docker image inspect --format '{{.Id}}'` prints it. */
export interface LocalImage {
  id: string;
}

export function parseLocalImage(stdout: string): LocalImage | undefined {
  const id = stdout.trim();
  return /^sha256:[0-9a-f]{64}$/.test(id) ? { id } : undefined;
}
