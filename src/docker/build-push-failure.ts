// Where a build that buildx pushes itself failed: in its push (worth a retry when the registry had a
// passing problem) or in the build (never retried), read from buildx's plain progress output.

/** A vertex that pushes: `#9 pushing <ref> with docker` (docker's image store), or the image export that pushes. */
const PUSH_VERTEX = /^#(\d+) (pushing |exporting to image$)/;
/**
 * A line of the push itself, where `push-timeout` starts: `#9 pushing <ref> with docker` (docker's
 * image store), `#7 pushing layers` or `#7 pushing manifest for <ref>` (the containerd image store,
 * a docker-container builder). A RUN step's output never matches: buildx prints it after the step's
 * elapsed time (`#6 0.512 pushing`).
 */
const PUSH_LINE = /^#(\d+) pushing /;

/** The vertex whose push a line of buildx's plain progress shows; undefined: not a push line. */
export function pushingVertex(line: string): string | undefined {
  return PUSH_LINE.exec(line.trim())?.[1];
}

/**
 * The vertex of a registry cache export (`#12 exporting cache to registry`): BuildKit writes it after
 * the image's own export and push are over, and puts no deadline on it.
 */
const CACHE_EXPORT_LINE = /^#(\d+) exporting cache to registry$/;

/** The vertex whose registry cache export a line of buildx's plain progress starts; undefined: none. */
export function cacheExportVertex(line: string): string | undefined {
  return CACHE_EXPORT_LINE.exec(line.trim())?.[1];
}

const PUSHED_MANIFEST = /^#\d+ pushing manifest for \S+@(sha256:[0-9a-f]{64})\b/;

/**
 * The digest a build pushed, from `#7 pushing manifest for r.io/app:main@sha256:…` (the last such
 * line): what the metadata file would have said, for a build stopped after its push.
 */
export function pushedManifestDigest(lines: readonly string[]): string | undefined {
  return lines
    .map((line) => PUSHED_MANIFEST.exec(line.trim())?.[1])
    .filter((digest) => digest !== undefined)
    .at(-1);
}

/** Whether a line says that vertex `id` finished (`#7 DONE 5.3s`): its push is over. */
export function vertexDone(line: string, id: string): boolean {
  return line.trim().startsWith(`#${id} DONE`);
}

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
