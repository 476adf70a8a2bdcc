import { parseImageSize } from '../docker/image-inspect.js';
import type { CommandRunner } from '../shared/command.js';

/** The built image's size in bytes (`docker image inspect`); undefined when docker cannot tell. */
export async function imageSize(runner: CommandRunner, imageId: string): Promise<number | undefined> {
  const result = await runner.run(
    { program: 'docker', args: ['image', 'inspect', '--format', '{{.Size}}', imageId] },
    { silent: true },
  );
  return result.exitCode === 0 ? parseImageSize(result.stdout) : undefined;
}
