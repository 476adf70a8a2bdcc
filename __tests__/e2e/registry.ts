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

/**
 * The image tags of a repository in the private registry, without the every-stage build caches
 * (`buildcache-…`, see registryCacheTags); [] when it does not exist.
 */
export async function registryTags(environment: E2eEnvironment, repository: string): Promise<string[]> {
  return (await allTags(environment, repository)).filter((tag) => !tag.startsWith('buildcache-'));
}

/** The every-stage build cache tags (`buildcache-…`) of a repository in the private registry. */
export async function registryCacheTags(environment: E2eEnvironment, repository: string): Promise<string[]> {
  return (await allTags(environment, repository)).filter((tag) => tag.startsWith('buildcache-'));
}

async function allTags(environment: E2eEnvironment, repository: string): Promise<string[]> {
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

interface ImageManifest {
  config: { digest: string };
  layers: { digest: string }[];
}

/**
 * The image manifest repository:tag names; for an index (the containerd image store pushes one),
 * its linux/amd64 image, as a pull on this machine would take it.
 */
async function imageManifest(
  environment: E2eEnvironment,
  repository: string,
  tag: string,
): Promise<ImageManifest | undefined> {
  const base = `http://${environment.privateRegistry}/v2/${repository}`;
  const response = await fetch(`${base}/manifests/${tag}`, { headers: headers(environment) });
  if (!response.ok) return undefined;
  const body = (await response.json()) as Partial<ImageManifest> & {
    manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
  };
  if (body.manifests === undefined) return body as ImageManifest;
  const image = body.manifests.find(
    (entry) => entry.platform?.os === 'linux' && entry.platform.architecture === 'amd64',
  );
  return image === undefined ? undefined : imageManifest(environment, repository, image.digest);
}

/** The labels in the image config of repository:tag. */
export async function registryLabels(
  environment: E2eEnvironment,
  repository: string,
  tag: string,
): Promise<Record<string, string>> {
  return (
    (
      (await registryImage(environment, repository, tag)).config as {
        config?: { Labels?: Record<string, string> | null };
      }
    ).config?.Labels ?? {}
  );
}

/** The layer digests, the image config and its digest of repository:tag. */
export async function registryImage(
  environment: E2eEnvironment,
  repository: string,
  tag: string,
): Promise<{ layers: string[]; config: Record<string, unknown>; configDigest: string }> {
  const base = `http://${environment.privateRegistry}/v2/${repository}`;
  const manifest = await imageManifest(environment, repository, tag);
  if (manifest === undefined) throw new Error(`${repository}:${tag} names no linux/amd64 image`);
  const config = (await (
    await fetch(`${base}/blobs/${manifest.config.digest}`, { headers: headers(environment) })
  ).json()) as Record<string, unknown>;
  return {
    layers: manifest.layers.map((layer) => layer.digest),
    config,
    configDigest: manifest.config.digest,
  };
}

/**
 * Whether repository:tag is whole: its manifest and every blob it names (config and layers) can be
 * fetched from the private registry. A tag that exists must always be whole.
 */
export async function registryTagComplete(
  environment: E2eEnvironment,
  repository: string,
  tag: string,
): Promise<boolean> {
  const base = `http://${environment.privateRegistry}/v2/${repository}`;
  const manifest = await imageManifest(environment, repository, tag);
  if (manifest === undefined) return false;
  for (const digest of [manifest.config.digest, ...manifest.layers.map((layer) => layer.digest)]) {
    const blob = await fetch(`${base}/blobs/${digest}`, { method: 'HEAD', headers: headers(environment) });
    if (!blob.ok) return false;
  }
  return true;
}

/** The manifest or index repository:reference names, as the registry serves it. */
export async function registryManifest(
  environment: E2eEnvironment,
  repository: string,
  reference: string,
): Promise<Record<string, unknown>> {
  const url = `http://${environment.privateRegistry}/v2/${repository}/manifests/${reference}`;
  const response = await fetch(url, { headers: headers(environment) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** A blob of repository (an attestation's in-toto statement, a config) as JSON. */
export async function registryBlobJson(
  environment: E2eEnvironment,
  repository: string,
  digest: string,
): Promise<Record<string, unknown>> {
  const url = `http://${environment.privateRegistry}/v2/${repository}/blobs/${digest}`;
  const response = await fetch(url, { headers: headers(environment) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The manifest (or index) repository:reference names, as JSON, with the digest the registry gives it. */
export async function registryManifestWithDigest(
  environment: E2eEnvironment,
  repository: string,
  reference: string,
): Promise<{ digest: string | undefined; manifest: Record<string, unknown> }> {
  const url = `http://${environment.privateRegistry}/v2/${repository}/manifests/${reference}`;
  const response = await fetch(url, { headers: headers(environment) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return {
    digest: response.headers.get('docker-content-digest') ?? undefined,
    manifest: (await response.json()) as Record<string, unknown>,
  };
}

/** A blob of repository, whole. */
export async function registryBlob(
  environment: E2eEnvironment,
  repository: string,
  digest: string,
): Promise<Buffer> {
  const url = `http://${environment.privateRegistry}/v2/${repository}/blobs/${digest}`;
  const response = await fetch(url, { headers: headers(environment) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
