import type { E2eEnvironment } from './environment.js';

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

function headers(environment: E2eEnvironment): Record<string, string> {
  const basic = Buffer.from(`${environment.user}:${environment.password}`).toString('base64');
  return { Authorization: `Basic ${basic}`, Accept: MANIFEST_TYPES };
}

/** The digest the private registry reports for repository:tag, or undefined when there is none. */
export async function registryDigest(
  environment: E2eEnvironment,
  repository: string,
  tag: string,
): Promise<string | undefined> {
  const url = `http://${environment.privateRegistry}/v2/${repository}/manifests/${tag}`;
  const response = await fetch(url, { method: 'HEAD', headers: headers(environment) });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`HEAD ${url}: ${response.status}`);
  return response.headers.get('docker-content-digest') ?? undefined;
}

/** Tags of a repository in the private registry; [] when it does not exist. */
export async function registryTags(environment: E2eEnvironment, repository: string): Promise<string[]> {
  const url = `http://${environment.privateRegistry}/v2/${repository}/tags/list`;
  const response = await fetch(url, { headers: headers(environment) });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  const body = (await response.json()) as { tags: string[] | null };
  return (body.tags ?? []).sort();
}

/** Repositories in the private registry. */
export async function registryCatalog(environment: E2eEnvironment): Promise<string[]> {
  const response = await fetch(`http://${environment.privateRegistry}/v2/_catalog`, {
    headers: headers(environment),
  });
  const body = (await response.json()) as { repositories: string[] | null };
  return (body.repositories ?? []).sort();
}

/** The labels in the image config of repository:tag. */
export async function registryLabels(
  environment: E2eEnvironment,
  repository: string,
  tag: string,
): Promise<Record<string, string>> {
  const base = `http://${environment.privateRegistry}/v2/${repository}`;
  const manifest = (await (
    await fetch(`${base}/manifests/${tag}`, { headers: headers(environment) })
  ).json()) as {
    config: { digest: string };
  };
  const config = (await (
    await fetch(`${base}/blobs/${manifest.config.digest}`, { headers: headers(environment) })
  ).json()) as {
    config?: { Labels?: Record<string, string> | null };
  };
  return config.config?.Labels ?? {};
}
