import { userDockerConfig } from '../execute/job-docker-config.js';
import { readRemoteImage, type RemoteRead } from './index.js';

export type { RemoteRead };

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

/**
 * The registry's HTTP API, with the credentials of the docker config the plan's commands use. An
 * image config this machine holds is read here instead (`configLabelsHere`, see ReadRemoteImageOptions).
 */
export function registryApi(
  env: NodeJS.ProcessEnv,
  configLabelsHere?: (configDigest: string) => Promise<Record<string, string> | undefined>,
): RegistryReader {
  return {
    read: (reference, request) =>
      readRemoteImage(reference, {
        dockerConfig: request.dockerConfig ?? userDockerConfig(env),
        insecure: request.insecure,
        labels: request.labels,
        timeoutMs: request.timeoutSeconds * 1000,
        env,
        configLabelsHere,
      }),
  };
}

/** A reader whose reads can be started before the executor asks for them. */
export interface PrefetchingReader extends RegistryReader {
  /** Starts the read now; the first `read` with the same reference and request takes its answer. */
  prefetch(reference: string, request: RemoteRequest): void;
}

/**
 * Lets the plan's lookups go out while the rest of the resolve phase (the audit, the plan's log)
 * runs: the registry's round trips then overlap with that work instead of following it.
 */
export function prefetching(reader: RegistryReader): PrefetchingReader {
  const started = new Map<string, Promise<RemoteRead>>();
  const key = (reference: string, request: RemoteRequest): string => JSON.stringify([reference, request]);
  return {
    prefetch(reference, request) {
      const id = key(reference, request);
      if (!started.has(id)) started.set(id, reader.read(reference, request));
    },
    read(reference, request) {
      const id = key(reference, request);
      const early = started.get(id);
      if (early === undefined) return reader.read(reference, request);
      started.delete(id);
      return early;
    },
  };
}
