import { type LocalImage, parseLocalImage } from '../docker/docker.js';
import type { Execution, Log } from './executor.js';
import { cliOnly, localImageFact, type LocalImageReader } from '../docker/local-images.js';
import type { Step } from '../plan/plan.js';
import type { CommandResult, CommandRunner, RunOptions } from './command-runner.js';

type CachePull = Step & { kind: 'cache-pull' };

/** The cache image as this machine has it now; undefined when it has none. */
export async function localImage(
  step: CachePull,
  runner: CommandRunner,
  images: LocalImageReader = cliOnly,
): Promise<LocalImage | undefined> {
  return localImageFact(
    images,
    step.reference,
    ({ id }) => ({ id }),
    async () => {
      const result = await runner.run(step.localCheck, { silent: true }).catch(() => undefined);
      return result?.exitCode === 0 ? parseLocalImage(result.stdout) : undefined;
    },
  );
}

/**
 * Brings a registry cache image to this machine: not at all when it is here already, exactly as the
 * registry holds it (the collision lookup read that); else `docker pull`.
 */
export async function pullCacheImage(
  step: CachePull,
  runner: CommandRunner,
  execution: Execution,
  log: Log,
  options: RunOptions,
  /** The local check, when it was started early (while the registry was read). */
  checkedEarly?: Promise<LocalImage | undefined>,
  images: LocalImageReader = cliOnly,
): Promise<CommandResult> {
  const registry = execution.existing.get(step.reference)?.configDigest;
  const local = registry === undefined ? undefined : await (checkedEarly ?? localImage(step, runner, images));
  if (local === undefined || local.id !== registry) return runner.run(step.command, options);
  log.info(`${step.reference} is here already, as the registry holds it: not pulled.`);
  return { exitCode: 0, stdout: '', tail: [] };
}
