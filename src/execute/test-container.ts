import { randomUUID } from 'node:crypto';
import { meaningfulLine } from '../docker/failure-lines.js';
import { removeContainerCommand, TEST_CONTAINER_PREFIX } from '../plan/plan.js';
import type { CommandRunner } from '../shared/command.js';

/** A name no other run on this daemon uses, so removing it can only ever touch our own container. */
export function newTestContainerName(): string {
  return `${TEST_CONTAINER_PREFIX}${randomUUID()}`;
}

/**
 * Removes the in-image test's container if it is still there (main was killed before it could);
 * `docker rm --force` of a container that is gone succeeds. Returns what went wrong, if anything.
 */
export async function removeTestContainer(runner: CommandRunner, name: string): Promise<string | undefined> {
  const result = await runner.run(removeContainerCommand(name), { silent: true });
  return result.exitCode === 0 ? undefined : (meaningfulLine(result.tail) ?? `exit code ${result.exitCode}`);
}
