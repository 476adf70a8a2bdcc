// The credentials docker would send to a registry, read from a DOCKER_CONFIG folder the way the
// docker CLI's config package does: a per-registry helper, else the credential store, else `auths`.
import { ConfigFileError, readConfigFile } from '../docker/config-file.js';
import { runCredentialHelper } from './credential-helper.js';
import { Uncertain } from './uncertain.js';

export type RegistryCredentials =
  | { kind: 'anonymous' }
  | { kind: 'basic'; username: string; password: string }
  /** An identity (refresh) token, which docker trades at the token server for an access token (OAuth). */
  | { kind: 'identity-token'; token: string };

const ANONYMOUS: RegistryCredentials = { kind: 'anonymous' };

/** docker's ConvertToHostname: `https://host:port/v1/` → `host:port`. */
export function hostOfAuthKey(key: string): string {
  return key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0] ?? '';
}

/** config.json as the credential lookup needs it; a file docker would reject leaves the answer to docker. */
function readConfig(dockerConfig: string): Record<string, unknown> | undefined {
  try {
    return readConfigFile(dockerConfig);
  } catch (error) {
    if (error instanceof ConfigFileError) throw new Uncertain(error.message);
    throw error;
  }
}

function stringField(object: unknown, key: string): string | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const value = (object as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The `auths` entry for `serverAddress`: its exact key, else a key naming the same host. */
function authEntry(auths: unknown, serverAddress: string): unknown {
  if (typeof auths !== 'object' || auths === null) return undefined;
  const entries = Object.entries(auths as Record<string, unknown>);
  return (
    entries.find(([key]) => key === serverAddress)?.[1] ??
    entries.find(([key]) => hostOfAuthKey(key) === serverAddress)?.[1]
  );
}

/** Credentials from an `auths` entry: `auth` (base64 `user:pass`), else `username` and `password`. */
export function credentialsOfEntry(entry: unknown, serverAddress: string): RegistryCredentials {
  const token = stringField(entry, 'identitytoken');
  if (token !== undefined) return { kind: 'identity-token', token };
  const auth = stringField(entry, 'auth');
  if (auth !== undefined) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
      throw new Uncertain(`the login for ${serverAddress} in config.json is not base64 user:password`);
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  const username = stringField(entry, 'username');
  const password = stringField(entry, 'password');
  if (username !== undefined && password !== undefined) return { kind: 'basic', username, password };
  return ANONYMOUS;
}

/**
 * What docker would log in to `serverAddress` with (a host[:port], or Docker Hub's
 * `https://index.docker.io/v1/`). No config.json means anonymous; a helper that fails, or a config
 * docker would reject, throws Uncertain.
 */
export async function lookupCredentials(
  dockerConfig: string,
  serverAddress: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<RegistryCredentials> {
  const config = readConfig(dockerConfig);
  if (config === undefined) return ANONYMOUS;
  const helper = stringField(config.credHelpers, serverAddress) ?? stringField(config, 'credsStore');
  if (helper !== undefined) {
    const found = await runCredentialHelper(helper, serverAddress, env, signal);
    if (found === undefined) return ANONYMOUS;
    // docker's marker for an identity token in a helper's answer.
    if (found.username === '<token>') return { kind: 'identity-token', token: found.secret };
    return { kind: 'basic', username: found.username, password: found.secret };
  }
  return credentialsOfEntry(authEntry(config.auths, serverAddress), serverAddress);
}
