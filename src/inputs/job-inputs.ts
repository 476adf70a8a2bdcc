// The inputs stage: the settings a job runs with, checked before anything runs, and the Dockerfile
// it builds. A merge job (`merge: <platforms>`) builds nothing: it reads no Dockerfile.
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InputError } from '../shared/errors.js';
import { laterSettings } from './annotation-levels.js';
import type { InputName, RawInputs } from './input-names.js';
import { parseInputs, type ParsedInputs } from './parse-inputs.js';
import { yamlReaderFor } from './registry-auth.js';
import type { BuildSecret } from './secret-inputs.js';
import type { Settings } from './settings.js';

/** The parsed inputs; their notices also say what the job goes without (an empty build secret). */
export interface JobInputs extends ParsedInputs {
  /** The Dockerfile (its text undefined when it could not be read); undefined for a merge job. */
  dockerfile: { text: string | undefined } | undefined;
}

function expect(kind: 'directory' | 'file', where: string, input: InputName): void {
  const found = statSync(where, { throwIfNoEntry: false });
  const ok = kind === 'directory' ? found?.isDirectory() : found?.isFile();
  if (ok !== true) throw new InputError(input, `${kind} ${where} does not exist`);
}

/**
 * Checks that the paths the plan uses exist, before any test or build starts. Synchronous: three
 * stats cost less than waiting for the thread pool while git and the probe keep the main thread busy.
 */
function checkPaths(settings: Settings): void {
  expect('directory', settings.workingDirectory, 'working-directory');
  expect('directory', settings.context, 'context');
  expect('file', settings.file, 'file');
}

/** The build secrets that have a value, and a notice for each one skipped. */
export interface UsableSecrets {
  secrets: BuildSecret[];
  notices: string[];
}

/**
 * Drops the build secrets that have no value: a `secrets` entry whose value is empty, a `secret-envs`
 * variable that is unset or empty. A pull request from a fork gets every repository secret empty;
 * its build goes on without them (as build-push-action's does) and the Dockerfile's
 * `RUN --mount=type=secret` finds no file, which `required=true` turns into a clear build error.
 */
export function withoutEmptySecrets(secrets: readonly BuildSecret[], env: NodeJS.ProcessEnv): UsableSecrets {
  const notices: string[] = [];
  const kept = secrets.filter((secret) => {
    if (secret.source === 'value' && secret.value.reveal() === '') {
      notices.push(`Build secret "${secret.id}" (\`secrets\`) is empty, so the build goes without it.`);
      return false;
    }
    if (secret.source === 'env' && (env[secret.variable] ?? '') === '') {
      notices.push(
        `Build secret "${secret.id}" (\`secret-envs\`): environment variable ${secret.variable} is not set or empty, so the build goes without it.`,
      );
      return false;
    }
    return true;
  });
  return { secrets: kept, notices };
}

const exists = (file: string): boolean => statSync(file, { throwIfNoEntry: false }) !== undefined;

/**
 * Checks, before anything runs, that what the build secrets and SSH inputs point at is there: each
 * `secret-files` file, each `ssh` path and, for `ssh: default`, the agent (SSH_AUTH_SOCK). buildx
 * would otherwise fail late, or build without the secret. An empty secret is not an error
 * (empty-secrets.ts skips it).
 */
export function checkBuildSources(settings: Settings, env: NodeJS.ProcessEnv): void {
  for (const secret of settings.secrets) {
    if (secret.source === 'file' && statSync(secret.path, { throwIfNoEntry: false })?.isFile() !== true) {
      throw new InputError('secret-files', `file ${secret.path} (secret "${secret.id}") does not exist`);
    }
  }
  for (const entry of settings.ssh) {
    const at = entry.indexOf('=');
    if (at === -1) {
      if ((env.SSH_AUTH_SOCK ?? '') === '') {
        throw new InputError(
          'ssh',
          `\`${entry}\` uses the SSH agent in SSH_AUTH_SOCK, which is not set; start an agent first (e.g. webfactory/ssh-agent) or give id=path-to-key`,
        );
      }
      continue;
    }
    const missing = entry
      .slice(at + 1)
      .split(',')
      .find((file) => !exists(file));
    if (missing !== undefined) throw new InputError('ssh', `${missing} does not exist`);
  }
}

/** Parses and checks the inputs; a build job's Dockerfile is read here, once. */
export async function readJobInputs(raw: RawInputs, env: NodeJS.ProcessEnv): Promise<JobInputs> {
  const readYaml = await yamlReaderFor(raw['registry-auth']); // yaml is loaded only when used
  const parsed = parseInputs(raw, env.GITHUB_WORKSPACE || process.cwd(), readYaml);
  const usable = withoutEmptySecrets(parsed.settings.secrets, env);
  const notices = [...parsed.notices, ...usable.notices];
  const withSecrets = { ...parsed.settings, secrets: usable.secrets };
  if (withSecrets.merge?.kind === 'platforms')
    return { settings: withSecrets, dockerfile: undefined, notices };
  // A `merge: later` job leaves the index annotations to the merge job.
  const settings = withSecrets.merge?.kind === 'later' ? laterSettings(withSecrets) : withSecrets;
  checkPaths(settings);
  checkBuildSources(settings, env);
  const text = await readFile(settings.file, 'utf8').catch(() => undefined);
  return { settings, dockerfile: { text }, notices };
}
