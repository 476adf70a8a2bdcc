import type { RefContext } from './context.js';
import { refNames } from './tags.js';

export const REVISION_LABEL = 'org.opencontainers.image.revision';
/**
 * The git ref an image was built from, in the action's own namespace (the OCI `ref.name` key means
 * the tag). Tag collisions are told apart by it.
 */
export const SOURCE_REF_LABEL = 'build-test-push-action.source-ref';

/**
 * The full ref `{ref}` was taken from: refs/heads/<git branch>, refs/tags/<tag>, or the pull
 * request's ref; the runner's ref when nothing names one.
 */
export function sourceRef(context: RefContext): string | undefined {
  const names = refNames(context);
  switch (names.refSource) {
    case 'branch':
      return `refs/heads/${names.ref ?? ''}`;
    case 'tag':
      return `refs/tags/${names.ref ?? ''}`;
    case 'pull request':
    case undefined:
      return context.ref || undefined;
  }
}

/** Labels put on every image: the OCI revision and source, and the ref it was built from. */
export function imageLabels(context: RefContext): Record<string, string> {
  const labels: Record<string, string> = {};
  if (context.sha) labels[REVISION_LABEL] = context.sha;
  if (context.repositoryUrl) labels['org.opencontainers.image.source'] = context.repositoryUrl;
  const ref = sourceRef(context);
  if (ref !== undefined) labels[SOURCE_REF_LABEL] = ref;
  return labels;
}
