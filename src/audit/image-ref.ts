/** The parts of an image reference in a FROM line. */
export interface ImageRef {
  /** Repository with its registry host, without tag or digest, lower-cased. */
  name: string;
  tag: string | undefined;
  digest: string | undefined;
}

export function parseImageRef(reference: string): ImageRef {
  const at = reference.indexOf('@');
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  const named = at === -1 ? reference : reference.slice(0, at);
  // A colon before the last slash belongs to a registry port, not to a tag.
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  return {
    name: (hasTag ? named.slice(0, colon) : named).toLowerCase(),
    tag: hasTag ? named.slice(colon + 1) : undefined,
    digest: digest === '' ? undefined : digest,
  };
}

/** The last path component of the repository: `python` for `docker.io/library/python`. */
export function repositoryBaseName(ref: ImageRef): string {
  return ref.name.slice(ref.name.lastIndexOf('/') + 1);
}
