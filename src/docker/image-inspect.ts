// What `docker image inspect --format …` prints about an image on this machine.
/** Parses `docker image inspect --format '{{.Size}}'`: the image size in bytes. */
export function parseImageSize(stdout: string): number | undefined {
  const text = stdout.trim();
  if (!/^\d+$/.test(text)) return undefined;
  const size = Number(text);
  return Number.isSafeInteger(size) ? size : undefined;
}

/** Parses `docker image inspect --format '{{.Id}}'`: a local image's id. */
export function parseImageId(stdout: string): string | undefined {
  const id = stdout.trim();
  return /^sha256:[0-9a-f]{64}$/.test(id) ? id : undefined;
}
