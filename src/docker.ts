// Reading what docker prints: the engine probe, pushed digests, and the line that explains a failure.

/** What the engine probe found. */
export interface Engine {
  /** Build with `docker buildx build` (plugin present) or the classic `docker build`. */
  buildx: boolean;
  /** Daemon version, for the log. */
  serverVersion: string;
}

export class EngineError extends Error {}

interface DockerInfo {
  ServerVersion?: string;
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
  return { buildx, serverVersion };
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

/** The program `docker run` could not start: `exec: "/bin/sh": stat /bin/sh: no such file or directory`. */
export function missingExecutable(lines: readonly string[]): string | undefined {
  for (const line of [...lines].reverse()) {
    const match =
      /exec: "([^"]+)": (?:stat \S+: )?(?:no such file or directory|executable file not found)/.exec(line);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}
