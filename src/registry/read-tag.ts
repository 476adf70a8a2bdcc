// Reads what a tag holds from the Registry API, the way docker would reach it: its credentials
// (config.json, credential helpers, identity tokens), certs.d, proxies and insecure registries.
import { createHash } from 'node:crypto';
import type { ImageLayer } from '../docker/image-layers.js';
import type { ImageContent } from '../docker/image-content.js';
import { registryTls } from './custom-certificates.js';
import { lookupCredentials, type RegistryCredentials } from './credentials.js';
import {
  checkContent,
  digestOf,
  isDigest,
  MANIFEST_ACCEPT,
  parseManifest,
  isImage,
  readConfigBlob,
  type Descriptor,
  type Manifest,
} from './manifest.js';
import { describeAnswer, saysMissing } from './registry-errors.js';
import { RegistrySession, type RegistryAnswer, type SessionMemory } from './session.js';
import { registryTarget } from './target.js';
import { redact, Uncertain } from './uncertain.js';

export type RemoteRead =
  | {
      kind: 'found';
      /** The manifest digest the registry holds for the tag (an index's own digest for an index). */
      digest: string;
      /** The image config's digest (the image id) of a single-platform manifest; undefined for an index. */
      configDigest: string | undefined;
      /** The image's labels when asked for (an index: its first non-attestation image's). */
      labels: Record<string, string> | undefined;
      /**
       * A single-platform image's layers and config, cache metadata aside (see image-content.ts),
       * read with the labels; undefined for an index or when the labels were not asked for.
       */
      content?: ImageContent | undefined;
      /** The image's layers with their compressed sizes and instructions, read with the labels (an index: its image's). */
      layers?: ImageLayer[] | undefined;
      /** Every image of the tag (an index: each but the attestations), when asked for. */
      images?: PlatformImage[] | undefined;
    }
  /** The registry says the tag, or the whole repository, does not exist. */
  | { kind: 'missing' }
  /** The registry could not be read, or its answer not trusted: why, holding no secret. */
  | { kind: 'unknown'; reason: string };

/** One image of a tag: its platform (`os/architecture[/variant]`) and labels. */
export interface PlatformImage {
  platform: string;
  labels: Record<string, string>;
}

/** What a tag that exists holds. */
export type FoundTag = Extract<RemoteRead, { kind: 'found' }>;

export interface ReadTagOptions {
  /** The DOCKER_CONFIG folder whose config.json holds the credentials docker would use. */
  dockerConfig: string;
  /** docker treats the registry as insecure: plain HTTP when HTTPS fails (see isInsecureRegistry). */
  insecure: boolean;
  /** Deadline for the whole read, credential helper included. */
  timeoutMs: number;
  /** Also read the image config for its labels (lookups); false when only the digest matters. */
  labels: boolean;
  /** Read every image of an index, for its platform and labels (a merge job's platform images). */
  platforms?: boolean;
  /**
   * The login to use instead of the one in `dockerConfig`: the action's own `username`/`password`
   * for its registry, read before its `docker login` step has run.
   */
  credentials?: RegistryCredentials;
  /** The folder docker reads registries' certificates from; /etc/docker/certs.d when absent. */
  certificates?: string;
  /** Proxy variables and the PATH for credential helpers; process.env when absent. */
  env?: NodeJS.ProcessEnv;
  /** What earlier reads of the same reader learned; a read of its own when absent. */
  memory?: ReadMemory;
}

/**
 * What a reader's reads share, as the docker CLI keeps what it looked up: per repository, registry
 * and login, the session's scheme and authorization (see SessionMemory); per config and registry,
 * the login (a credential helper is a process of its own). A failed lookup is not kept.
 */
export interface ReadMemory {
  sessions: Map<string, SessionMemory>;
  lookups: Map<string, Promise<unknown>>;
}

export function newReadMemory(): ReadMemory {
  return { sessions: new Map(), lookups: new Map() };
}

/** The manifest digest: the registry's Docker-Content-Digest header, else the body's sha256. */
function manifestDigest(answer: RegistryAnswer): string {
  const header = answer.headers.get('docker-content-digest');
  if (header === null) return digestOf(answer.body);
  if (!isDigest(header)) throw new Uncertain('the registry sent a malformed Docker-Content-Digest');
  checkContent(answer.body, header, 'a manifest');
  return header;
}

async function fetchContent(
  session: RegistrySession,
  path: string,
  descriptor: Descriptor,
  what: string,
  accept?: string,
): Promise<RegistryAnswer> {
  const answer = await session.get(path, accept);
  if (answer.status !== 200) {
    throw new Uncertain(
      `${what} ${descriptor.digest} cannot be read: ${describeAnswer(answer.status, answer.body)}`,
    );
  }
  checkContent(answer.body, descriptor.digest, what);
  return answer;
}

function once<T>(lookups: ReadMemory['lookups'], key: unknown[], lookup: () => Promise<T>): Promise<T> {
  const id = JSON.stringify(key);
  let found = lookups.get(id) as Promise<T> | undefined;
  if (found === undefined) {
    found = lookup();
    lookups.set(id, found);
    found.catch(() => lookups.delete(id));
  }
  return found;
}

async function read(reference: string, options: ReadTagOptions, secrets: Set<string>): Promise<RemoteRead> {
  const target = registryTarget(reference);
  const env = options.env ?? process.env;
  const tls = registryTls(target.certificateHosts, options.insecure, options.certificates);
  const signal = AbortSignal.timeout(options.timeoutMs);
  const { sessions, lookups } = options.memory ?? newReadMemory();
  const credentials =
    options.credentials ??
    (await once(lookups, ['credentials', options.dockerConfig, target.credentialKey], () =>
      lookupCredentials(options.dockerConfig, target.credentialKey, env, signal),
    ));
  if (credentials.kind === 'basic') {
    secrets.add(credentials.password);
    secrets.add(Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'));
  }
  if (credentials.kind === 'identity-token') secrets.add(credentials.token);
  const who = createHash('sha256').update(JSON.stringify(credentials)).digest('hex');
  const key = JSON.stringify([target.apiHost, target.repository, who, options.insecure]);
  const memory = sessions.get(key) ?? {};
  sessions.set(key, memory);
  const session = new RegistrySession(
    target,
    credentials,
    { insecure: options.insecure, tls, env, signal, timeoutMs: options.timeoutMs, secrets },
    memory,
  );

  const answer = await session.get(`manifests/${target.tag}`, MANIFEST_ACCEPT);
  if (saysMissing(answer.status, answer.headers, answer.body)) return { kind: 'missing' };
  if (answer.status !== 200) {
    throw new Uncertain(
      `${target.apiHost} answered ${describeAnswer(answer.status, answer.body)} for ${reference}`,
    );
  }
  const digest = manifestDigest(answer);
  const manifest = parseManifest(answer.body, answer.headers.get('content-type'));
  const configDigest = manifest.kind === 'image' ? manifest.config.digest : undefined;
  if (!options.labels && options.platforms !== true) {
    return { kind: 'found', digest, configDigest, labels: undefined };
  }
  const entries = manifest.kind === 'index' ? manifest.manifests.filter(isImage) : [undefined];
  const [first, ...others] = entries;
  if (manifest.kind === 'index' && first === undefined) {
    throw new Uncertain(`the index of ${reference} lists no image`);
  }
  const image = await readImage(session, manifest, first, reference);
  const rest = options.platforms === true ? others : [];
  const images = [
    image,
    ...(await Promise.all(rest.map((entry) => readImage(session, manifest, entry, reference)))),
  ];
  return {
    kind: 'found',
    digest,
    configDigest,
    labels: image.labels,
    layers: image.layers,
    ...(manifest.kind === 'image' ? { content: image.content } : {}),
    ...(options.platforms === true
      ? { images: images.map(({ platform, labels }) => ({ platform, labels })) }
      : {}),
  };
}

/** The config of one image of the tag: the tag's own manifest's, or an index entry's. */
async function readImage(
  session: RegistrySession,
  manifest: Manifest,
  entry: Descriptor | undefined,
  reference: string,
): Promise<ReturnType<typeof readConfigBlob>> {
  let image = manifest;
  if (entry !== undefined) {
    const child = await fetchContent(
      session,
      `manifests/${entry.digest}`,
      entry,
      'the manifest',
      MANIFEST_ACCEPT,
    );
    image = parseManifest(child.body, child.headers.get('content-type'));
  }
  if (image.kind !== 'image') throw new Uncertain(`the index of ${reference} nests another index`);
  const blob = await fetchContent(session, `blobs/${image.config.digest}`, image.config, 'the image config');
  return readConfigBlob(blob.body, image.layerSizes);
}

/**
 * What the registry holds at `reference` (`host[:port]/path:tag`, or a Docker Hub name), read the
 * way docker would: its credentials, its HTTPS-then-HTTP rule for insecure registries, its auth
 * flow. Never throws; `unknown` says why it could not tell, and never holds a password or token.
 */
export async function readTag(reference: string, options: ReadTagOptions): Promise<RemoteRead> {
  const secrets = new Set<string>();
  try {
    return await read(reference, options, secrets);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'unknown', reason: redact(reason, secrets) };
  }
}
