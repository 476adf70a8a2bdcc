import { type Engine, parseEngineInfo } from './docker.js';
import type { CommandRunner } from './runner.js';

/** The one probe of the engine per run: is a daemon there, and is buildx? */
export async function probeEngine(runner: CommandRunner): Promise<Engine> {
  const result = await runner.run(
    { program: 'docker', args: ['info', '--format', '{{json .}}'] },
    { silent: true },
  );
  return parseEngineInfo(result.stdout, result.exitCode, result.tail);
}
