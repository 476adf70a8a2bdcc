import { parseImageId, parseImageSize } from '../docker/image-inspect.js';
import type { Command, CommandRunner } from '../shared/command.js';
import { contentOfInspect, type ImageContent } from '../docker/image-content.js';

/** The id the daemon holds an image by, as `inspect` (`docker image inspect`) prints it; undefined: none. */
export async function localImageId(runner: CommandRunner, inspect: Command): Promise<string | undefined> {
  const result = await runner.run(inspect, { silent: true }).catch(() => undefined);
  return result?.exitCode === 0 ? parseImageId(result.stdout) : undefined;
}

/** The built image's size in bytes (`docker image inspect`); undefined when docker cannot tell. */
export async function imageSize(runner: CommandRunner, imageId: string): Promise<number | undefined> {
  const result = await runner.run(
    { program: 'docker', args: ['image', 'inspect', '--format', '{{.Size}}', imageId] },
    { silent: true },
  );
  return result.exitCode === 0 ? parseImageSize(result.stdout) : undefined;
}

/** The built image's layers and config, cache metadata aside (`docker image inspect`); undefined when docker cannot tell. */
export async function localContent(
  runner: CommandRunner,
  imageId: string,
): Promise<ImageContent | undefined> {
  const result = await runner
    .run(
      { program: 'docker', args: ['image', 'inspect', '--format', '{{json .}}', imageId] },
      { silent: true },
    )
    .catch(() => undefined);
  return result?.exitCode === 0 ? contentOfInspect(result.stdout) : undefined;
}
