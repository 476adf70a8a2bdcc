/** What reading a tag straight from the registry's HTTP API told. */
export type RemoteRead =
  | {
      kind: 'found';
      digest: string;
      /** The config's digest, which is the image id; undefined for a multi-platform index. */
      configDigest: string | undefined;
      labels: Record<string, string> | undefined;
    }
  | { kind: 'missing' }
  /** The reader could not tell (a proxy, custom certificates, a credential helper, an error): ask docker. */
  | { kind: 'unknown'; reason: string };

/** How to read one tag: with the credentials docker would use, over HTTP when docker would. */
export interface RemoteRequest {
  /** DOCKER_CONFIG holding this job's login; undefined: the runner's own (DOCKER_CONFIG or ~/.docker). */
  dockerConfig: string | undefined;
  /** The daemon treats the registry as insecure, so plain HTTP is allowed. */
  insecure: boolean;
  /** Also read the image's labels (the collision check); the digest alone otherwise. */
  labels: boolean;
  timeoutSeconds: number;
}

/** Reads tags in-process, sparing a docker process per read; the executor falls back to docker. */
export interface RegistryReader {
  read(reference: string, request: RemoteRequest): Promise<RemoteRead>;
}

/** A reader that never knows: every read goes through docker. */
export const dockerOnly: RegistryReader = {
  read: () => Promise.resolve({ kind: 'unknown', reason: 'no in-process reader' }),
};
