// The daemon's own answer to `GET /info`, asked over its unix socket with node:http: no `docker`
// process, and not the global fetch, whose first call loads undici (~80 ms).
import type { DockerInfo } from './docker.js';
import { httpGet } from '../registry/http-get.js';
import { isObject } from '../registry/json-shapes.js';

/** /info is a few KiB; anything near this is not a daemon's answer. */
const MAX_BODY = 4 * 1024 * 1024;

function get(socketPath: string, path: string, signal: AbortSignal) {
  return httpGet({ socketPath, path }, {}, signal, MAX_BODY);
}

/**
 * The daemon's /info JSON, at the API version the daemon names in `/_ping` (as the CLI negotiates
 * it): unversioned paths are deprecated, and a fixed old version is refused by newer daemons.
 * Rejects on any failure, including `timeoutMs` passing. Also returns that version, for later reads.
 */
export async function requestDaemonInfo(
  socketPath: string,
  timeoutMs: number,
): Promise<{ json: unknown; version: string }> {
  const signal = AbortSignal.timeout(timeoutMs);
  const ping = await get(socketPath, '/_ping', signal);
  const version = ping.headers.get('api-version') ?? undefined;
  if (ping.status !== 200 || version === undefined || !/^\d+\.\d+$/.test(version)) {
    throw new Error(`/_ping answered ${ping.status} with API version ${version ?? 'none'}`);
  }
  const info = await get(socketPath, `/v${version}/info`, signal);
  if (info.status !== 200) throw new Error(`/v${version}/info answered ${info.status}`);
  return { json: JSON.parse(Buffer.from(info.body).toString('utf8')) as unknown, version };
}

const absentOr = (value: unknown, is: (value: unknown) => boolean): boolean =>
  value === undefined || value === null || is(value);
const isStringArray = (value: unknown): boolean =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const isIndexConfig = (value: unknown): boolean =>
  isObject(value) &&
  absentOr(value.Name, (name) => typeof name === 'string') &&
  absentOr(value.Secure, (secure) => typeof secure === 'boolean');

/** The server fields of a /info answer, when they have the shape `docker info` would print. */
export function asDaemonInfo(json: unknown): Omit<DockerInfo, 'ClientInfo'> | undefined {
  if (!isObject(json) || typeof json.ServerVersion !== 'string' || json.ServerVersion === '')
    return undefined;
  const registry = json.RegistryConfig;
  if (registry === undefined) return { ServerVersion: json.ServerVersion };
  if (
    !isObject(registry) ||
    !absentOr(registry.InsecureRegistryCIDRs, isStringArray) ||
    !absentOr(
      registry.IndexConfigs,
      (configs) => isObject(configs) && Object.values(configs).every(isIndexConfig),
    )
  ) {
    return undefined;
  }
  return { ServerVersion: json.ServerVersion, RegistryConfig: registry };
}
