import { type Engine, parseEngineInfo } from './engine-info.js';
import { errorMessage } from '../shared/errors.js';
import type { CommandRunner } from '../shared/command.js';

/** The one probe of the engine per run: is a daemon there, and is buildx? */
export async function probeEngine(runner: CommandRunner): Promise<Engine> {
  const result = await runner.run(
    { program: 'docker', args: ['info', '--format', '{{json .}}'] },
    { silent: true },
  );
  return parseEngineInfo(result.stdout, result.exitCode, result.tail);
}

/**
 * A `builder` naming a docker context (a docker-driver builder) must be selected as the context:
 * buildx refuses it as `--builder`. Other builders (buildx instances) are passed as `--builder`.
 * Returns the context to use, or undefined. Runs only when `builder` is set.
 */
export async function builderContext(
  runner: CommandRunner,
  builder: string | undefined,
  engine: Engine,
): Promise<string | undefined> {
  if (!engine.buildx || builder === undefined) return undefined;
  const result = await runner.run(
    { program: 'docker', args: ['context', 'inspect', '--format', '{{.Name}}', builder] },
    { silent: true },
  );
  return result.exitCode === 0 ? builder : undefined;
}

/**
 * The engine for a run: a dry run plans for buildx when no daemon answers (it runs nothing), with
 * `warn` saying so; a real run fails on the probe's error.
 */
export async function engineForRun(
  runner: CommandRunner,
  dryRun: boolean,
  warn: (message: string) => void,
): Promise<Engine> {
  try {
    return await probeEngine(runner);
  } catch (error) {
    if (!dryRun) throw error;
    warn(`${errorMessage(error)} (dry run: planning for buildx)`);
    return { buildx: true, serverVersion: 'unknown' };
  }
}
