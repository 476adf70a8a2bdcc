import { userDockerConfig } from '../docker/config-file.js';
import { type FoundTag, newReadMemory, readTag, type ReadTagOptions, type RemoteRead } from './read-tag.js';

export type { FoundTag, RemoteRead };

/** How to read one tag: with the credentials docker would use, over HTTP when docker would. */
export type RemoteRequest = Pick<ReadTagOptions, 'insecure' | 'labels' | 'platforms' | 'credentials'> & {
  /** DOCKER_CONFIG holding this job's login; undefined: the runner's own (DOCKER_CONFIG or ~/.docker). */
  dockerConfig: string | undefined;
  timeoutSeconds: number;
};

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
