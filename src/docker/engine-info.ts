// `docker info`: is a daemon there, is buildx, which registries does it reach over plain HTTP.
import { meaningfulLine } from './failure-lines.js';

/** What the engine probe found. */
export interface Engine {
  /** Build with `docker buildx build` (plugin present) or the classic `docker build`. */
  buildx: boolean;
  /** Daemon version, for the log. */
  serverVersion: string;
  /** Registries the daemon talks plain HTTP to; undefined: the daemon's default (127.0.0.0/8). */
  insecureRegistries?: { hosts: string[]; cidrs: string[] };
  /** The containerd image store: images are known by their manifest's (or index's) digest. */
  containerdStore?: true;
}

export class EngineError extends Error {}

/** The fields of `docker info --format '{{json .}}'` the probe reads. */
export interface DockerInfo {
  ServerVersion?: string;
  /** With the containerd image store: [["driver-type", "io.containerd.snapshotter.v1"]]. */
  DriverStatus?: [string, string][] | null;
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

/** The Engine an info JSON describes; undefined when no daemon answered (no server version). */
function engineFromInfo(info: DockerInfo): Engine | undefined {
  const serverVersion = info.ServerVersion ?? '';
  if (serverVersion === '') return undefined;
  const buildx = (info.ClientInfo?.Plugins ?? []).some((plugin) => plugin.Name === 'buildx' && !plugin.Err);
  const store = (info.DriverStatus ?? []).some(
    ([key, value]) => key === 'driver-type' && value === 'io.containerd.snapshotter.v1',
  )
    ? { containerdStore: true as const }
    : {};
  const registry = info.RegistryConfig;
  if (registry === undefined) return { buildx, serverVersion, ...store };
  const hosts = Object.values(registry.IndexConfigs ?? {})
    .filter((index) => index.Secure === false && index.Name !== undefined)
    .map((index) => index.Name ?? '');
  return {
    buildx,
    serverVersion,
    insecureRegistries: { hosts, cidrs: registry.InsecureRegistryCIDRs ?? [] },
    ...store,
  };
}
