import type { RefContext } from './context.js';

/** OCI labels put on every image. */
export function imageLabels(context: RefContext): Record<string, string> {
  const labels: Record<string, string> = {};
  if (context.sha) labels['org.opencontainers.image.revision'] = context.sha;
  if (context.repositoryUrl) labels['org.opencontainers.image.source'] = context.repositoryUrl;
  return labels;
}
