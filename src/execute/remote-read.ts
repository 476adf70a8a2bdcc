import { parseLocalLabels } from '../docker/image-inspect.js';
import { parseRemoteImage } from '../docker/remote-image.js';
import { errorMessage } from '../shared/errors.js';
import type { Step } from '../plan/plan.js';
import type { RegistryReader } from '../registry/registry-reader.js';
import type { RemoteOutcome } from './registry-checks.js';
import type { CommandResult, CommandRunner, RunOptions } from './command-runner.js';

type RegistryStep = Step & { kind: 'lookup' | 'verify' };

export interface RemoteReadEdges {
  reader: RegistryReader;
  runner: CommandRunner;
  info(message: string): void;
  debug(message: string): void;
}

/**
 * Without buildx the lookup shows only that a tag exists; its labels come from pulling it and
 * reading them locally. Undefined when they cannot be read.
 */
async function pulledLabels(
  step: Step & { kind: 'lookup' },
  edges: RemoteReadEdges,
): Promise<Record<string, string> | undefined> {
  if (step.readLabels.length === 0) return undefined;
  edges.info(`Pulling ${step.reference} to read its labels (without buildx the manifest shows none).`);
  let last: CommandResult | undefined;
  for (const command of step.readLabels) {
    last = await edges.runner.run(command, { silent: true });
    if (last.exitCode !== 0) return undefined;
  }
  try {
    return last === undefined ? undefined : parseLocalLabels(last.stdout);
  } catch {
    return undefined;
  }
}

/** Asks docker (the step's command) what the tag holds. */
async function readThroughDocker(
  step: RegistryStep,
  edges: RemoteReadEdges,
  options: RunOptions,
): Promise<RemoteOutcome> {
  const result = await edges.runner.run(step.command, options);
  try {
    const image = parseRemoteImage(result.stdout, result.exitCode, result.tail, step.buildx);
    if (step.kind === 'lookup' && image.found && image.labels === undefined) {
      image.labels = await pulledLabels(step, edges);
    }
    return { image, tail: result.tail };
  } catch (error) {
    return { problem: errorMessage(error), tail: result.tail };
  }
}

/**
 * What a tag holds: read from the registry's API in-process (a few milliseconds), or through docker
 * (a process of its own, ~0.1 s with buildx) when the in-process read cannot tell.
 */
export async function readRemote(
  step: RegistryStep,
  edges: RemoteReadEdges,
  options: RunOptions = {},
): Promise<RemoteOutcome> {
  const read = await edges.reader.read(step.reference, step.remote);
  switch (read.kind) {
    case 'found':
      edges.info(`${step.reference} is ${read.digest} in the registry.`);
      return {
        image: {
          found: true,
          digest: read.digest,
          labels: read.labels,
          configDigest: read.configDigest,
          ...(read.content === undefined ? {} : { content: read.content }),
        },
        tail: [],
      };
    case 'missing':
      edges.info(`${step.reference} is not in the registry.`);
      return { image: { found: false }, tail: [] };
    case 'unknown':
      edges.debug(
        `Could not read ${step.reference} from the registry directly (${read.reason}); asking docker.`,
      );
      return readThroughDocker(step, edges, options);
  }
}
