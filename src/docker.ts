// Reading what docker prints: the engine probe, pushed digests, and the line that explains a failure.

/** What the engine probe found. */
export interface Engine {
  /** Build with `docker buildx build` (plugin present) or the classic `docker build`. */
  buildx: boolean;
  /** Daemon version, for the log. */
  serverVersion: string;
  /** Registries the daemon talks plain HTTP to; undefined: the daemon's default (127.0.0.0/8). */
  insecureRegistries?: { hosts: string[]; cidrs: string[] };
}

export class EngineError extends Error {}

interface DockerInfo {
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
  const serverVersion = info.ServerVersion ?? '';
  if (exitCode !== 0 || serverVersion === '') {
    const reason =
      meaningfulLine(tail) ?? info.ServerErrors?.join('; ') ?? `docker info exited with ${exitCode}`;
    throw new EngineError(
      `The Docker daemon is not reachable: ${reason.replace(/[.?!\s]+$/, '')}. Start Docker on this runner (or set DOCKER_HOST) before this step.`,
    );
  }
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

/**
 * The build instruction that failed: buildx prints ` > [stage 2/3] RUN ...:` before its error block,
 * the classic builder `Step 2/3 : RUN ...` before running each step.
 */
export function failingBuildStep(lines: readonly string[]): string | undefined {
  for (const line of [...lines].reverse()) {
    const buildx = /^\s*> \[([^\]]+)\] (.+?):?$/.exec(line);
    if (buildx?.[1] !== undefined && buildx[2] !== undefined) return `[${buildx[1]}] ${buildx[2]}`;
    const classic = /^Step (\d+\/\d+) : (.+)$/.exec(line.trim());
    if (classic?.[1] !== undefined && classic[2] !== undefined) return `step ${classic[1]}: ${classic[2]}`;
  }
  return undefined;
}

/** What `docker buildx imagetools inspect` or `docker manifest inspect` said about a tag. */
export type RemoteImage =
  { found: true; digest: string; labels: Record<string, string> | undefined } | { found: false };

interface ImagetoolsImage {
  config?: { Labels?: Record<string, string> | null };
}
interface ImagetoolsJson {
  manifest?: { digest?: string };
  image?: ImagetoolsImage | Record<string, ImagetoolsImage>;
}
interface ManifestInspectJson {
  Descriptor?: { digest?: string };
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
  const digest = Array.isArray(parsed) ? undefined : (parsed as ManifestInspectJson).Descriptor?.digest;
  if (digest === undefined) throw new Error('docker manifest inspect printed no digest');
  return { found: true, digest, labels: undefined };
}
