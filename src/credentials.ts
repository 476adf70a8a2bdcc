import { access, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

/** The docker CLI's own config folder: DOCKER_CONFIG, else ~/.docker. */
export function userDockerConfig(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
}

/** Creates this job's private folder (mode 0700) under the runner's temp folder. */
export async function createJobDir(runnerTemp: string): Promise<string> {
  await mkdir(runnerTemp, { recursive: true });
  return mkdtemp(path.join(runnerTemp, 'build-test-push-'));
}

async function readConfig(file: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * A DOCKER_CONFIG for this job only, so that our login lives nowhere else and two jobs on one machine
 * never share it. It keeps the user's other settings and logins, plugins (buildx) and builders, but
 * drops credential stores: `docker login` must write to this folder, which the post step deletes,
 * not to a keychain that would outlive the job.
 */
export async function createJobDockerConfig(jobDir: string, userConfig: string): Promise<string> {
  const dir = path.join(jobDir, 'docker-config');
  await mkdir(dir, { mode: 0o700 });
  const config = await readConfig(path.join(userConfig, 'config.json'));
  delete config.credsStore;
  delete config.credHelpers;
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
