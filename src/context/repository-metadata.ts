// What the event's repository object says about the project, for the description and licenses labels.

/** The repository's description and license, as the event payload carries them; no API call. */
export interface RepositoryMetadata {
  /** The repository's one-line description; undefined when it has none. */
  description: string | undefined;
  /** SPDX id of the license GitHub detected; undefined when none was, or it is not one SPDX names. */
  license: string | undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function trimmed(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * GitHub writes `license: null` when it found no license file, and `spdx_id: "NOASSERTION"` (or
 * null) when it found one it cannot name; neither is a license a label should claim.
 */
export function repositoryMetadata(payload: Record<string, unknown>): RepositoryMetadata {
  const repository = field(payload, 'repository');
  const spdx = trimmed(field(field(repository, 'license'), 'spdx_id'));
  return {
    description: trimmed(field(repository, 'description')),
    license: spdx === undefined || spdx.toUpperCase() === 'NOASSERTION' ? undefined : spdx,
  };
}
