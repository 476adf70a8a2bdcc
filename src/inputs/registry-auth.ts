import { InputError } from '../shared/errors.js';
import { ImageNameError, parseRegistryHost } from '../shared/image-reference.js';
import { Secret } from '../shared/secret.js';
import { maskForms } from './secret-inputs.js';

/** One `docker login` of the step: to `registry` (undefined: Docker Hub), password on stdin only. */
export interface RegistryLogin {
  registry: string | undefined;
  username: string;
  password: Secret;
}

const KEYS = ['registry', 'username', 'password'];

const EXAMPLE =
  'e.g.\n- registry: ghcr.io\n  username: ${{ github.actor }}\n  password: ${{ secrets.GITHUB_TOKEN }}';

/** The YAML, every scalar a string (failsafe: a password `0123` stays `0123`); undefined when it is not YAML. */
export type ReadYaml = (text: string) => unknown;

/** The reader a run without `registry-auth` has: the functions below never call it for an empty input. */
export const NO_YAML: ReadYaml = () => {
  throw new Error('the YAML reader is loaded only for a non-empty registry-auth (yamlReaderFor)');
};

/**
 * The YAML reader for `registry-auth`'s text: the yaml package (a fifth of the bundle, no other input
 * needs it) is loaded only when the input is set, so most runs never load it.
 */
export async function yamlReaderFor(text: string): Promise<ReadYaml> {
  if (text.trim() === '') return NO_YAML;
  const { parse } = await import('yaml');
  return (yaml) => {
    try {
      return parse(yaml, { schema: 'failsafe' }) as unknown;
    } catch {
      return undefined;
    }
  };
}

/**
 * Every password the `registry-auth` input holds, for masking before anything is logged; forgiving,
 * as it runs before any check: YAML that cannot be read gives its every line, so a password in it
 * is masked whatever went wrong.
 */
export function registryAuthValuesToMask(text: string, readYaml: ReadYaml): string[] {
  if (text.trim() === '') return [];
  const entries = readYaml(text);
  const passwords = Array.isArray(entries)
    ? entries.map((entry: unknown) =>
        typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).password : undefined,
      )
    : text.split(/\r?\n/);
  // The runner masks line by line: a multi-line value is masked whole and in each of its lines.
  return maskForms(passwords.filter((value): value is string => typeof value === 'string'));
}

function entryLogin(entry: unknown, position: number): RegistryLogin {
  const which = `entry ${position}`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new InputError(
      'registry-auth',
      `${which} is not a map of registry, username and password; ${EXAMPLE}`,
    );
  }
  const fields = entry as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !KEYS.includes(key));
  if (unknown !== undefined) {
    const why =
      unknown === 'scope' || unknown === 'ecr' || unknown === 'logout'
        ? `login-action's \`${unknown}\` is not supported here (this action's logins live in the job's own folder and end with the step); remove it`
        : `\`${unknown}\` is not a key it takes; use registry, username and password`;
    throw new InputError('registry-auth', `${which}: ${why}`);
  }
  const text = (key: string): string => {
    const value = fields[key];
    return typeof value === 'string' ? value : '';
  };
  for (const key of ['username', 'password']) {
    if (text(key).trim() === '') {
      throw new InputError(
        'registry-auth',
        `${which} has no ${key}; each entry needs username and password (registry empty: Docker Hub), ${EXAMPLE} (secrets are empty in pull requests from forks)`,
      );
    }
  }
  let registry: string | undefined;
  try {
    registry = text('registry').trim() === '' ? undefined : parseRegistryHost(text('registry'));
  } catch (error) {
    if (error instanceof ImageNameError) throw new InputError('registry-auth', `${which}: ${error.message}`);
    throw error;
  }
  return { registry, username: text('username').trim(), password: new Secret(text('password')) };
}

/**
 * `registry-auth`, in docker/login-action's format: a YAML list of maps with `registry` (empty or
 * absent: Docker Hub), `username` and `password`. Pure; an error never quotes the input (it holds
 * passwords).
 */
export function parseRegistryAuth(text: string, readYaml: ReadYaml): RegistryLogin[] {
  if (text.trim() === '') return [];
  const entries = readYaml(text);
  if (!Array.isArray(entries)) {
    throw new InputError(
      'registry-auth',
      `is not a YAML list of logins (each line of an entry indented alike, each entry starting with "- "); ${EXAMPLE}`,
    );
  }
  return entries.map((entry: unknown, index) => entryLogin(entry, index + 1));
}
