// Reads of images on this machine over the daemon's API, when the engine probe reached the daemon
// in-process: a few milliseconds, where `docker image inspect` starts the CLI (30-60 ms) each time.
import { httpGet } from '../registry/http-get.js';
import { configLabels, isObject } from '../registry/json-shapes.js';

/** The daemon's unix socket and the API version it named in /_ping. */
export interface DaemonApi {
  socket: string;
  version: string;
}

export interface LocalImageFacts {
  id: string;
  /** Bytes, as `docker image inspect --format '{{.Size}}'` prints them. */
  size: number;
  /** Its config's labels; undefined when the answer had none in the expected shape. */
  labels?: Record<string, string>;
}

/** The image's facts; null when this machine has no such image; 'unknown' when the API cannot tell. */
export type LocalImageAnswer = LocalImageFacts | null | 'unknown';

export type LocalImageReader = (reference: string) => Promise<LocalImageAnswer>;

/** Without a reachable API every answer is 'unknown', and the callers run docker. */
export const cliOnly: LocalImageReader = () => Promise.resolve('unknown');

/** An inspect answer is a few KiB; anything near this is not the daemon's. */
const MAX_BODY = 4 * 1024 * 1024;
/** Names and ids as the CLI passes them in the path unescaped; anything else is left to the CLI. */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;

function factsOf(json: unknown): LocalImageFacts | undefined {
  if (!isObject(json)) return undefined;
  const { Id: id, Size: size, Config: config } = json;
  if (typeof id !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(id)) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  const labels = isObject(config) ? configLabels(config) : undefined;
  return labels === undefined ? { id, size } : { id, size, labels };
}

/** `GET /v<version>/images/<reference>/json`, as `docker image inspect` asks it. */
export async function inspectOverApi(
  api: DaemonApi,
  reference: string,
  timeoutMs = 5000,
): Promise<LocalImageAnswer> {
  if (!PLAIN_NAME.test(reference) || reference.includes('..')) return 'unknown';
  try {
    const answer = await httpGet(
      { socketPath: api.socket, path: `/v${api.version}/images/${reference}/json` },
      {},
      AbortSignal.timeout(timeoutMs),
      MAX_BODY,
    );
    if (answer.status === 404) return null;
    if (answer.status !== 200) return 'unknown';
    return factsOf(JSON.parse(Buffer.from(answer.body).toString('utf8'))) ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * One fact of a local image: from the API when it can tell, else from docker (`cli`, a
 * `docker image inspect`). Undefined when the image is not here, or docker cannot tell either.
 */
export async function localImageFact<T>(
  images: LocalImageReader,
  reference: string,
  pick: (facts: LocalImageFacts) => T,
  cli: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const answer = await images(reference);
  if (answer === 'unknown') return cli();
  return answer === null ? undefined : pick(answer);
}

/** The reader for a run: the daemon's API when the probe reached it, else none (docker answers). */
export function localImageReader(api: DaemonApi | undefined): LocalImageReader {
  return api === undefined ? cliOnly : (reference) => inspectOverApi(api, reference);
}

/**
 * The labels of the image config whose digest is `configDigest`, when this machine holds that image.
 * Docker's classic image store names an image by its config's digest, and a digest names one
 * content: the image here has the very labels that config holds. Undefined when no image here has
 * that id (another image store names images by their manifest) or the API cannot tell.
 */
export async function localConfigLabels(
  images: LocalImageReader,
  configDigest: string,
): Promise<Record<string, string> | undefined> {
  const answer = await images(configDigest);
  return typeof answer === 'object' && answer !== null && answer.id === configDigest
    ? answer.labels
    : undefined;
}
