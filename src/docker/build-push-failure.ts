// Where a build that buildx pushes itself failed: in its push (worth a retry when the registry had a
// passing problem) or in the build (never retried), read from buildx's plain progress output.

/** A vertex that pushes: `#9 pushing <ref> with docker` (docker's image store), or the image export that pushes. */
const PUSH_VERTEX = /^#(\d+) (pushing |exporting to image$)/;
const VERTEX_ERROR = /^#(\d+) ERROR: /;
const FAILED_PUSH = /failed to push/i;

/**
 * The lines of a failed build that belong to its push, from the push vertex's first line to the
 * end; undefined when the build failed before it pushed.
 */
export function pushFailureLines(lines: readonly string[]): string[] | undefined {
  const trimmed = lines.map((line) => line.trim());
  const failed = [...trimmed]
    .reverse()
    .map((line) => VERTEX_ERROR.exec(line)?.[1])
    .find((id) => id !== undefined);
  const pushStart = trimmed.findIndex((line) => {
    const vertex = PUSH_VERTEX.exec(line);
    return vertex !== null && (failed === undefined || vertex[1] === failed);
  });
  if (pushStart === -1) return undefined;
  if (failed === undefined && !trimmed.some((line) => FAILED_PUSH.test(line))) return undefined;
  return trimmed.slice(pushStart);
}
