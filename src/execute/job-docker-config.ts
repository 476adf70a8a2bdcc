import { access, mkdir, symlink, writeFile } from 'node:fs/promises';
import { readConfigFile } from '../docker/config-file.js';
import * as path from 'node:path';
import { sameRegistry } from '../shared/image-reference.js';

/** Keys docker reads as `name`: Go's encoding/json matches a JSON key to a field case-insensitively. */
function keysMatching(config: Record<string, unknown>, name: string): string[] {
  return Object.keys(config).filter((key) => key.toLowerCase() === name.toLowerCase());
}

/** credHelpers keys are hosts, or a URL for Docker Hub (https://index.docker.io/v1/). */
function helperHost(key: string): string {
  return (key.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '').toLowerCase();
}

/**
 * The helpers of every other registry, from every key docker would read as `credHelpers` (Go merges
 * them into one map, later keys winning); the login registries', in any case of their host, dropped.
 */
function otherHelpers(
  config: Record<string, unknown>,
  loginRegistries: readonly (string | undefined)[],
): Record<string, unknown> {
  const logins = loginRegistries.map((registry) => registry?.toLowerCase());
  const helpers: Record<string, unknown> = {};
  for (const key of keysMatching(config, 'credHelpers')) {
    const map = config[key];
    if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
    for (const [host, helper] of Object.entries(map)) {
      if (!logins.some((login) => sameRegistry(helperHost(host), login))) helpers[host] = helper;
    }
  }
  return helpers;
}

/**
 * The user's config without any credential store and with only other registries' helpers, whatever
 * the case of their keys (`CredsStore`, `credsstore`): docker would read those as the store too.
 */
export function withoutLoginStores(
  config: Record<string, unknown>,
  loginRegistries: readonly (string | undefined)[],
): Record<string, unknown> {
  const helpers = otherHelpers(config, loginRegistries);
  const dropped = new Set([...keysMatching(config, 'credsStore'), ...keysMatching(config, 'credHelpers')]);
  const kept = Object.fromEntries(Object.entries(config).filter(([key]) => !dropped.has(key)));
  return { ...kept, credHelpers: helpers };
}

/** The user's config.json to start from; one docker could not read gives way to an empty one. */
function readConfig(userConfig: string): Record<string, unknown> {
  try {
    return readConfigFile(userConfig) ?? {};
  } catch {
    return {};
  }
}

/**
 * A DOCKER_CONFIG for this job only, so that our login lives nowhere else and two jobs on one machine
 * never share it. It keeps the user's other settings and logins, plugins (buildx) and builders, but
 * drops the credential store and the login registries' helpers (undefined: Docker Hub): every
 * `docker login` of the step must write to this folder,
 * which the post step deletes, not to a keychain that would outlive the job. Helpers of other
 * registries stay, so that pushes to them keep the runner's logins.
 */
export async function createJobDockerConfig(
  dir: string,
  userConfig: string,
  loginRegistries: readonly (string | undefined)[],
): Promise<void> {
  await mkdir(dir, { mode: 0o700 });
  const config = withoutLoginStores(readConfig(userConfig), loginRegistries);
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  for (const shared of ['cli-plugins', 'buildx', 'contexts']) {
    const target = path.join(userConfig, shared);
    const exists = await access(target).then(
      () => true,
      () => false,
    );
    if (exists) await symlink(target, path.join(dir, shared));
  }
}
