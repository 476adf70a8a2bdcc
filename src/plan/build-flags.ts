import { wantsAttestations } from '../inputs/build-flag-inputs.js';
import type { Secret } from '../shared/secret.js';
import type { Settings } from '../inputs/settings.js';

/** Where the built image goes: loaded into the engine, pushed by buildx itself, or nowhere. */
export type BuildOutput = 'load' | 'push' | 'none';

/** The variable of the build process's environment that carries the n-th (from 1) `secrets` value. */
export const secretVariable = (n: number): string => `BUILD_TEST_PUSH_SECRET_${n}`;

/**
 * The `secrets` values, each under its own variable, for the build process's environment alone:
 * buildx reads them there (`--secret id=ID,env=VAR`), so no value is ever in an argv.
 */
export function secretEnvironment(settings: Settings): Record<string, Secret> {
  return Object.fromEntries(
    settings.secrets
      .filter((secret) => secret.source === 'value')
      .map((secret, index) => [secretVariable(index + 1), secret.value]),
  );
}

function secretArgs(settings: Settings): string[] {
  let values = 0;
  return settings.secrets.flatMap((secret) => {
    switch (secret.source) {
      case 'value':
        values++;
        return ['--secret', `id=${secret.id},env=${secretVariable(values)}`];
      case 'env':
        return ['--secret', `id=${secret.id},env=${secret.variable}`];
      case 'file':
        return ['--secret', `id=${secret.id},src=${secret.path}`];
    }
  });
}

const each = (flag: string, values: readonly string[]): string[] => values.flatMap((value) => [flag, value]);
const once = (flag: string, value: string | undefined): string[] =>
  value === undefined ? [] : [flag, value];

/**
 * Flags both builders take: `--no-cache`, `--pull`, and what RUN steps get (network, hosts, shm,
 * limits). `pull` is the `pull` input, or a security rebuild's base pulled anew (plan's `pullBase`).
 */
export function commonBuildFlags(settings: Settings, pull: boolean = settings.pull): string[] {
  return [
    ...(settings.noCache ? ['--no-cache'] : []),
    ...(pull ? ['--pull'] : []),
    ...once('--network', settings.network),
    ...each('--add-host', settings.addHosts),
    ...once('--shm-size', settings.shmSize),
    ...each('--ulimit', settings.ulimits),
  ];
}

/** Flags only buildx takes: secrets, SSH, stage cache filters, contexts, attestations, annotations. */
export function buildxOnlyFlags(settings: Settings): string[] {
  return [
    ...secretArgs(settings),
    ...each('--ssh', settings.ssh),
    ...each('--no-cache-filter', settings.noCacheFilters),
    ...each('--build-context', settings.buildContexts),
    ...once('--provenance', settings.provenance),
    ...once('--sbom', settings.sbom),
    ...each('--annotation', settings.annotations),
  ];
}

/**
 * The input that makes buildx push the image itself, when one does: attestations and annotations
 * live in the registry's manifest or index, which docker's classic image store cannot hold.
 */
export function manifestInput(settings: Settings): 'provenance' | 'sbom' | 'annotations' | undefined {
  if (wantsAttestations(settings)) {
    return settings.provenance !== undefined && settings.provenance !== 'false' ? 'provenance' : 'sbom';
  }
  return settings.annotations.length > 0 ? 'annotations' : undefined;
}

/** Inputs the classic `docker build` cannot honour, in action.yml's order; `false` attestations are no ask. */
export function buildxOnlyInputs(settings: Settings): string[] {
  const used: [string, boolean][] = [
    ['secrets', settings.secrets.some((secret) => secret.source === 'value')],
    ['secret-files', settings.secrets.some((secret) => secret.source === 'file')],
    ['secret-envs', settings.secrets.some((secret) => secret.source === 'env')],
    ['ssh', settings.ssh.length > 0],
    ['no-cache-filters', settings.noCacheFilters.length > 0],
    ['build-contexts', settings.buildContexts.length > 0],
    ['provenance', settings.provenance !== undefined && settings.provenance !== 'false'],
    ['sbom', settings.sbom !== undefined && settings.sbom !== 'false'],
    ['annotations', settings.annotations.length > 0],
  ];
  return used.filter(([, set]) => set).map(([name]) => name);
}
