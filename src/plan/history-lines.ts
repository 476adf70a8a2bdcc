import { instructionOf } from '../docker/image-layers.js';
import { parseDockerfile } from './dockerfile-model.js';

/**
 * The Dockerfile line of the instruction an image history entry names (`COPY app/ /app/ # buildkit`),
 * looked up in the last stage first (the image's own), then in the stages before it. Flags such as
 * `--from` are not in the history, so an instruction is matched by its keyword and arguments.
 */
export function historyLine(dockerfile: string, createdBy: string): number | undefined {
  const wanted = instructionOf(createdBy);
  let stages;
  try {
    stages = parseDockerfile(dockerfile).stages;
  } catch {
    return undefined;
  }
  for (const stage of [...stages].reverse()) {
    const step = stage.steps.find(
      (candidate) =>
        `${candidate.keyword.toUpperCase()} ${candidate.text}`.replace(/\s+/g, ' ').trim() === wanted,
    );
    if (step !== undefined) return step.line;
  }
  return undefined;
}
