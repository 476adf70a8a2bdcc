import { access, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { readConfigFile } from '../docker/config-file.js';
import * as path from 'node:path';
import { sameRegistry } from '../tags/reference.js';

/** Creates this job's private folder (mode 0700) under the runner's temp folder. */
export async function createJobDir(runnerTemp: string): Promise<string> {
  await mkdir(runnerTemp, { recursive: true });
  return mkdtemp(path.join(runnerTemp, 'build-test-push-'));
}

/** credHelpers keys are hosts, or a URL for Docker Hub (https://index.docker.io/v1/). */
function otherHelpers(helpers: unknown, loginRegistry: string | undefined): Record<string, unknown> {
  if (typeof helpers !== 'object' || helpers === null) return {};
  return Object.fromEntries(
    Object.entries(helpers).filter(([key]) => {
      const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0];
      return !sameRegistry(host, loginRegistry);
    }),
  );
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
 * drops the credential store and `loginRegistry`'s helper: `docker login` must write to this folder,
 * which the post step deletes, not to a keychain that would outlive the job. Helpers of other
 * registries stay, so that pushes to them keep the runner's logins.
 */
export async function createJobDockerConfig(
  jobDir: string,
  userConfig: string,
  loginRegistry: string | undefined,
): Promise<string> {
  const dir = path.join(jobDir, 'docker-config');
  await mkdir(dir, { mode: 0o700 });
  const config = readConfig(userConfig);
  delete config.credsStore;
  config.credHelpers = otherHelpers(config.credHelpers, loginRegistry);
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  for (const shared of ['cli-plugins', 'buildx', 'contexts']) {
    const target = path.join(userConfig, shared);
    const exists = await access(target).then(
      () => true,
      () => false,
    );
    if (exists) await symlink(target, path.join(dir, shared));
  }
  return dir;
}

/** Deletes the job folder and the login in it. */
export async function removeJobDir(jobDir: string): Promise<void> {
  await rm(jobDir, { recursive: true, force: true });
}
