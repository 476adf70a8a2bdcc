import { statSync } from 'node:fs';
import { InputError } from '../shared/errors.js';
import type { Settings } from './settings.js';

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
