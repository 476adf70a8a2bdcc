import type * as Yaml from 'yaml';
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

/**
 * A login the workflow asked for whose password came empty: a fork's pull request gets empty
 * secrets. Kept aside at parsing, as only the run's context tells a fork's pull request (where it is
 * left out) from a mistake (an error naming the input): tags/fork-rules.ts decides.
 */
export interface LoginWithoutPassword {
  /** The registry it would log in to; undefined: Docker Hub. */
  registry: string | undefined;
  /** The input to fix. */
  input: 'password' | 'registry-auth';
  /** `username`/`password`, or `registry-auth` entry N. */
  source: string;
  /** What is wrong and how to fix it, for the error. */
  problem: string;
}

/** `registry-auth`'s logins, and its entries whose password is empty. */
export interface RegistryAuth {
  logins: RegistryLogin[];
  withoutPassword: LoginWithoutPassword[];
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
  return yamlReader((await import('yaml')).parse);
}

/** The reader over yaml's `parse`. */
export function yamlReader(parse: typeof Yaml.parse): ReadYaml {
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

function entryLogin(entry: unknown, position: number): RegistryLogin | LoginWithoutPassword {
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
  let registry: string | undefined;
  try {
    registry = text('registry').trim() === '' ? undefined : parseRegistryHost(text('registry'));
  } catch (error) {
    if (error instanceof ImageNameError) throw new InputError('registry-auth', `${which}: ${error.message}`);
    throw error;
  }
  const missing = ['username', 'password'].filter((key) => text(key).trim() === '');
  const problem = `${which} has no ${missing.join(' and no ')}; each entry needs username and password (registry empty: Docker Hub), ${EXAMPLE} (secrets are empty in pull requests from forks)`;
  // A password without a username is a mistake on any run; an empty password may be a fork's secret.
  if (missing.length === 1 && missing[0] === 'username') throw new InputError('registry-auth', problem);
  if (missing.length > 0) {
    return { registry, input: 'registry-auth', source: `\`registry-auth\` ${which}`, problem };
  }
  return { registry, username: text('username').trim(), password: new Secret(text('password')) };
}

/**
 * `registry-auth`, in docker/login-action's format: a YAML list of maps with `registry` (empty or
 * absent: Docker Hub), `username` and `password`; an entry whose password is empty is set aside
 * (LoginWithoutPassword). Pure; an error never quotes the input (it holds passwords).
 */
export function parseRegistryAuth(text: string, readYaml: ReadYaml): RegistryAuth {
  if (text.trim() === '') return { logins: [], withoutPassword: [] };
  const entries = readYaml(text);
  if (!Array.isArray(entries)) {
    throw new InputError(
      'registry-auth',
      `is not a YAML list of logins (each line of an entry indented alike, each entry starting with "- "); ${EXAMPLE}`,
    );
  }
  const read = entries.map((entry: unknown, index) => entryLogin(entry, index + 1));
  return {
    logins: read.filter((login): login is RegistryLogin => 'password' in login),
    withoutPassword: read.filter((login): login is LoginWithoutPassword => 'problem' in login),
  };
}
