import { InputError } from '../shared/errors.js';
import type { RegistryLogin } from './registry-auth.js';
import type { Settings } from './settings.js';
import { sameRegistry } from '../shared/image-reference.js';

/** A login and the input it comes from, for messages that tell the user what to fix. */
export interface StepLogin extends RegistryLogin {
  /** `username`/`password`, or `registry-auth` entry N. */
  source: string;
}

/** Every login of the step, in order: `username`/`password` first, then each `registry-auth` entry. */
export function stepLogins(
  settings: Pick<Settings, 'credentials' | 'loginRegistry' | 'registryAuth'>,
): StepLogin[] {
  const own: StepLogin[] =
    settings.credentials === undefined
      ? []
      : [{ registry: settings.loginRegistry, ...settings.credentials, source: '`username`/`password`' }];
  return [
    ...own,
    ...settings.registryAuth.map((login, index) => ({
      ...login,
      source: `\`registry-auth\` entry ${index + 1}`,
    })),
  ];
}

/** The step's login to `registry` (undefined: Docker Hub), when it has one. */
export function loginFor(logins: readonly StepLogin[], registry: string | undefined): StepLogin | undefined {
  return logins.find((login) => sameRegistry(login.registry, registry));
}

/** One login per registry: docker keeps one per host, so a second would silently replace the first. */
export function checkOneLoginPerRegistry(logins: readonly StepLogin[]): void {
  logins.forEach((login, index) => {
    const earlier = loginFor(logins.slice(0, index), login.registry);
    if (earlier !== undefined) {
      throw new InputError(
        'registry-auth',
        `${login.registry ?? 'Docker Hub'} is logged in to twice, by ${earlier.source} and by ${login.source}; keep one login per registry`,
      );
    }
  });
}
