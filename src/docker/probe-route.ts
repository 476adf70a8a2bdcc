// Whether the engine probe can ask the daemon itself, or must leave the question to `docker info`
// because the CLI would resolve something we do not reproduce (contexts, TLS, remote hosts).
import type { CliConfig } from './cli-config.js';

/** The socket the CLI would use, or why the probe must run `docker info` instead. */
export type ProbeRoute = { socket: string } | { fallback: string };

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** A non-default context name: anything but unset, "" or "default". */
function namesOtherContext(name: string | undefined): boolean {
  return name !== undefined && name !== '' && name !== 'default';
}

/** The socket DOCKER_HOST names when it is `unix://` with an absolute path; undefined for anything else. */
function unixSocketOf(host: string): string | undefined {
  const match = /^unix:\/\/(\/[^?#]*)$/.exec(host);
  // The CLI trims the value; a path with surrounding spaces is too odd to second-guess.
  return match?.[1] !== undefined && host.trim() === host ? match[1] : undefined;
}

export function probeRoute(
  env: NodeJS.ProcessEnv,
  config: CliConfig | undefined,
  platform: NodeJS.Platform,
): ProbeRoute {
  if (platform === 'win32') return { fallback: 'on Windows the CLI talks to a named pipe' };
  if (config === undefined)
    return { fallback: 'the docker config.json could not be read as the CLI reads it' };
  if (namesOtherContext(env.DOCKER_CONTEXT))
    return { fallback: `DOCKER_CONTEXT is ${env.DOCKER_CONTEXT ?? ''}` };
  if (namesOtherContext(config.currentContext)) {
    return { fallback: `config.json selects the context ${config.currentContext ?? ''}` };
  }
  if (env.DOCKER_TLS_VERIFY || env.DOCKER_CERT_PATH)
    return { fallback: 'DOCKER_TLS_VERIFY or DOCKER_CERT_PATH is set' };
  if (env.DOCKER_API_VERSION) return { fallback: 'DOCKER_API_VERSION pins the API version' };
  if (config.hasAliases) return { fallback: 'config.json maps command aliases' };
  const host = env.DOCKER_HOST;
  if (!host) return { socket: DEFAULT_SOCKET };
  const socket = unixSocketOf(host);
  return socket === undefined ? { fallback: `DOCKER_HOST is ${host}, not a unix socket` } : { socket };
}
