import type { RefContext } from './context.js';

const OCI = 'org.opencontainers.image';

/**
 * The standard OCI labels, then the `labels` input, which adds or replaces. `.created` is the commit
 * time, not the wall clock, so that building one commit twice gives the same labels.
 */
export function imageLabels(
  context: RefContext,
  version: string | undefined,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const standard: [string, string | undefined][] = [
    [`${OCI}.title`, context.repository?.split('/').pop()],
    [`${OCI}.url`, context.repositoryUrl],
    [`${OCI}.source`, context.repositoryUrl],
    [`${OCI}.revision`, context.sha],
    [`${OCI}.created`, context.commitTime],
    [`${OCI}.version`, version],
  ];
  const known = standard.filter((entry): entry is [string, string] => Boolean(entry[1]));
  return { ...Object.fromEntries(known), ...extra };
}
