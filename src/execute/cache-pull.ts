import { localImageId } from './built-image.js';
import type { Step } from '../plan/plan.js';
import type { CommandResult, CommandRunner, RunOptions } from '../shared/command.js';
import { type RunRecord } from '../record/run-record.js';
import { type Log } from '../shared/log.js';

type CachePull = Step & { kind: 'cache-pull' };

/** Why a cache pull is not needed, from what the lookups and earlier pulls found; undefined: pull. */
export function cachePullSkip(step: CachePull, record: RunRecord): string | undefined {
  if (record.missing.includes(step.reference)) {
    return `Skipped pulling ${step.reference}: the registry has no such tag yet (normal for a new branch).`;
  }
  if (step.fallback && record.cachePulled.length > 0) {
    return `Skipped pulling ${step.reference}: ${record.cachePulled.join(', ')} is the closer cache.`;
  }
  return undefined;
}

/**
 * Brings a registry cache image to this machine: not at all when it is here already, exactly as the
 * registry holds it (the collision lookup read that); else `docker pull`.
 */
export async function pullCacheImage(
  step: CachePull,
  runner: CommandRunner,
  record: RunRecord,
  log: Log,
  options: RunOptions,
): Promise<CommandResult> {
  const held = record.existing.get(step.reference);
  const local = held === undefined ? undefined : await localImageId(runner, step.localCheck);
  // The image id is the config's digest in docker's own image store, the manifest's (or index's) in
  // the containerd image store.
  const same = local !== undefined && (local === held?.configDigest || local === held?.digest);
  if (!same) return runner.run(step.command, options);
  log.info(`${step.reference} is here already, as the registry holds it: not pulled.`);
  return { exitCode: 0, stdout: '', tail: [] };
}
