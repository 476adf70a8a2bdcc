import type { BuildSecret } from './secret-inputs.js';

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
