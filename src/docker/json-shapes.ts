// Shapes of JSON that the daemon and registries send, checked before they are read.

/** A JSON object: not null, not an array. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The `Labels` of an image's config object, as an image config blob and the daemon's image inspect
 * both hold it: null or absent is no labels; undefined when they are not a map of strings.
 */
export function configLabels(config: Record<string, unknown>): Record<string, string> | undefined {
  const labels = config.Labels ?? {};
  if (!isObject(labels) || !Object.values(labels).every((value) => typeof value === 'string')) {
    return undefined;
  }
  return labels as Record<string, string>;
}
