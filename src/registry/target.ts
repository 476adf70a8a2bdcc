import { DOCKER_HUB_HOSTS, parseRepository, TAG_PATTERN } from '../shared/image-reference.js';

/** Where a tag lives and under which names docker looks up what belongs to its registry. */
export interface RegistryTarget {
  /** host[:port] the Registry API is served from (registry-1.docker.io for Docker Hub). */
  apiHost: string;
  /** Repository path inside the registry (`library/app` for an official Docker Hub image). */
  repository: string;
  tag: string;
  /** The server address docker stores credentials under: the host, or Docker Hub's index URL. */
  credentialKey: string;
  /** The names `/etc/docker/certs.d/` may hold a folder for. */
  certificateHosts: string[];
}

/** Reads `host[:port]/path:tag` or a Docker Hub name (`acme/app:tag`, `app:tag`). Throws when invalid. */
export function registryTarget(reference: string): RegistryTarget {
  if (reference.includes('@')) throw new Error(`"${reference}" names a digest, not a tag`);
  const tagged = /^(.*?)(?::([^:/]*))?$/.exec(reference.trim());
  const tag = tagged?.[2] ?? 'latest';
  if (!TAG_PATTERN.test(tag)) throw new Error(`"${tag}" is not a valid tag`);
  const written = tagged?.[1] ?? '';
  const { host, name } = parseRepository(written);
  const path = host === undefined ? name : name.slice(host.length + 1);
  // parseRepository lower-cases what users write; docker refuses upper case in a reference.
  if (!written.endsWith(path)) throw new Error(`"${reference}" is not a canonical reference`);
  if (host === undefined || DOCKER_HUB_HOSTS.has(host)) {
    return {
      apiHost: 'registry-1.docker.io',
      repository: path.includes('/') ? path : `library/${path}`,
      tag,
      credentialKey: 'https://index.docker.io/v1/',
      certificateHosts: [...DOCKER_HUB_HOSTS],
    };
  }
  return { apiHost: host, repository: path, tag, credentialKey: host, certificateHosts: [host] };
}
