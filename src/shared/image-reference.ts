// Docker's image-name grammar (distribution's reference spec): a repository is an optional
// registry host[:port] followed by lower-case path components.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])`;
const DOMAIN = new RegExp(`^${HOST}(?::[0-9]{1,5})?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 255;
/** A tag: a word character, then up to 127 word characters, dots and dashes. */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** A repository that tags can be appended to: `host[:port]/path` or `path` (Docker Hub). */
export interface Repository {
  /** Registry host[:port] named by the repository; undefined for Docker Hub short names. */
  host: string | undefined;
  /** The whole repository name, host included when there is one. */
  name: string;
}

export class ImageNameError extends Error {}

/** Docker treats the first component as a registry when it has a dot or a port, or is localhost. */
function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component.toLowerCase() === 'localhost';
}

/** Validates a registry host[:port]; returns it lower-cased. */
export function parseRegistryHost(text: string): string {
  const host = text.trim().toLowerCase();
  if (/^[a-z]+:\/\//.test(host) || host.includes('/')) {
    throw new ImageNameError(
      `"${text}" is not a host[:port]; write only the host, e.g. ghcr.io or localhost:5000`,
    );
  }
  if (!DOMAIN.test(host)) throw new ImageNameError(`"${text}" is not a valid registry host[:port]`);
  return host;
}

/**
 * Parses an image repository as users write it (`ghcr.io/acme/app`, `acme/app`), lower-casing it.
 * `defaultHost` is put in front when the name has no host of its own.
 */
export function parseRepository(text: string, defaultHost?: string): Repository {
  const raw = text.trim();
  if (raw === '') throw new ImageNameError('the image name is empty');
  if (raw.includes('@')) {
    throw new ImageNameError(`"${raw}" names a digest; give the repository only (tags come from \`tag\`)`);
  }
  const parts = raw.split('/');
  const first = parts[0] ?? '';
  const hasHost = parts.length > 1 && looksLikeHost(first);
  const host = hasHost ? parseRegistryHost(first) : defaultHost;
  const path = (hasHost ? parts.slice(1) : parts).map((part) => part.toLowerCase());
  const last = path[path.length - 1] ?? '';
  if (last.includes(':')) {
    throw new ImageNameError(
      `"${raw}" includes a tag (":${last.split(':')[1] ?? ''}"); give the repository only and put tags in \`tag\``,
    );
  }
  const bad = path.find((part) => !PATH_COMPONENT.test(part));
  if (bad !== undefined) {
    throw new ImageNameError(
      `"${raw}" is not a valid repository: "${bad}" may hold only a-z, 0-9 and single separators (. _ __ -), and must start and end with a letter or digit`,
    );
  }
  const name = [...(host === undefined ? [] : [host]), ...path].join('/');
  if (name.length > MAX_NAME_LENGTH) {
    throw new ImageNameError(`"${raw}" is longer than ${MAX_NAME_LENGTH} characters`);
  }
  return { host, name };
}

/** What a message calls the registry of a name without a host. */
export const DOCKER_HUB = 'Docker Hub';

/** The host names that all mean Docker Hub. */
export const DOCKER_HUB_HOSTS: ReadonlySet<string> = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
]);

/** The registry a full reference (`repository:tag`) goes to; undefined for Docker Hub. */
export function registryOf(reference: string): string | undefined {
  const repository = reference.replace(/:[^:/]*$/, '');
  const host = parseRepository(repository).host;
  return host === undefined || DOCKER_HUB_HOSTS.has(host) ? undefined : host;
}

/** Whether two registry hosts name the same registry (undefined and docker.io are both Docker Hub). */
export function sameRegistry(a: string | undefined, b: string | undefined): boolean {
  const hub = (host: string | undefined): string | undefined =>
    host === undefined || DOCKER_HUB_HOSTS.has(host) ? undefined : host;
  return hub(a) === hub(b);
}

/** The parts of an image reference in a FROM line. */
export interface ImageRef {
  /** Repository with its registry host, without tag or digest, lower-cased. */
  name: string;
  tag: string | undefined;
  digest: string | undefined;
}

export function parseImageRef(reference: string): ImageRef {
  const at = reference.indexOf('@');
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  const named = at === -1 ? reference : reference.slice(0, at);
  // A colon before the last slash belongs to a registry port, not to a tag.
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  return {
    name: (hasTag ? named.slice(0, colon) : named).toLowerCase(),
    tag: hasTag ? named.slice(colon + 1) : undefined,
    digest: digest === '' ? undefined : digest,
  };
}

/** The last path component of the repository: `python` for `docker.io/library/python`. */
export function repositoryBaseName(ref: ImageRef): string {
  return ref.name.slice(ref.name.lastIndexOf('/') + 1);
}
