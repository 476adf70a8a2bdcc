import type { Settings } from '../inputs/settings.js';

/**
 * What the summary says about how the image was built, beyond the defaults: cache off, base images
 * pulled, the secrets' ids (never their values), SSH, attestations, annotations.
 */
export function buildOptionFacts(settings: Settings): string[] {
  const facts: string[] = [];
  if (settings.noCache) facts.push('no cache: every step built anew, the registry cache not used');
  else if (settings.noCacheFilters.length > 0)
    facts.push(`stages built without cache: ${settings.noCacheFilters.join(', ')}`);
  if (settings.pull) facts.push('base images pulled fresh (`--pull`)');
  if (settings.secrets.length > 0)
    facts.push(`build secrets: ${settings.secrets.map((secret) => secret.id).join(', ')}`);
  if (settings.ssh.length > 0)
    facts.push(`SSH: ${settings.ssh.map((entry) => entry.split('=', 1)[0] ?? entry).join(', ')}`);
  if (settings.provenance !== undefined) facts.push(`provenance: ${settings.provenance}`);
  if (settings.sbom !== undefined) facts.push(`SBOM: ${settings.sbom}`);
  if (settings.annotations.length > 0) facts.push(`annotations: ${settings.annotations.length}`);
  return facts;
}
