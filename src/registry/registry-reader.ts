import { userDockerConfig } from '../docker/config-file.js';
import type { RegistryCredentials } from './credentials.js';
import { type FoundTag, newReadMemory, readTag, type RemoteRead } from './read-tag.js';

export type { FoundTag, RemoteRead };

/** How to read one tag: with the credentials docker would use, over HTTP when docker would. */
export interface RemoteRequest {
  /** DOCKER_CONFIG holding this job's login; undefined: the runner's own (DOCKER_CONFIG or ~/.docker). */
  dockerConfig: string | undefined;
  /** The daemon treats the registry as insecure, so plain HTTP is allowed. */
  insecure: boolean;
  /** Also read the image's labels (the collision check); the digest alone otherwise. */
  labels: boolean;
  /** Read every image of an index, for its platform and labels (a merge job's platform images). */
  platforms?: boolean;
  timeoutSeconds: number;
  /**
   * A login to use instead of the docker config's: the action's own `username`/`password` for its
   * registry, when the read comes before the plan's `docker login` (the base check).
   */
  credentials?: RegistryCredentials;
}

/** Reads what tags hold: the one path of every registry read of a run (tests give a fake). */
export interface RegistryReader {
  read(reference: string, request: RemoteRequest): Promise<RemoteRead>;
}

/** The registry's HTTP API, with the credentials of the docker config the plan's commands use. */
export function registryApi(env: NodeJS.ProcessEnv): RegistryReader {
  const memory = newReadMemory();
  return {
    read: (reference, request) =>
      readTag(reference, {
        dockerConfig: request.dockerConfig ?? userDockerConfig(env),
        insecure: request.insecure,
        labels: request.labels,
        platforms: request.platforms,
        timeoutMs: request.timeoutSeconds * 1000,
        credentials: request.credentials,
        env,
        memory,
      }),
  };
}
