import type { Settings } from '../inputs/settings.js';
import { markdownText } from '../shared/markdown.js';

const listed = (items: readonly string[]): string => items.map(markdownText).join(', ');

/**
 * What the summary says about how the image was built, beyond the defaults: cache off, base images
 * pulled, the secrets' ids (never their values), SSH, attestations, annotations. Markdown, with the
 * values from the inputs escaped.
 */
export function buildOptionFacts(settings: Settings): string[] {
  const facts: string[] = [];
  if (settings.noCache) facts.push('no cache: every step built anew, the registry cache not used');
  else if (settings.noCacheFilters.length > 0)
    facts.push(`stages built without cache: ${listed(settings.noCacheFilters)}`);
  if (settings.pull) facts.push('base images pulled fresh (`--pull`)');
  if (settings.secrets.length > 0)
    facts.push(`build secrets: ${listed(settings.secrets.map((secret) => secret.id))}`);
  if (settings.ssh.length > 0)
    facts.push(`SSH: ${listed(settings.ssh.map((entry) => entry.split('=', 1)[0] ?? entry))}`);
  if (settings.provenance !== undefined) facts.push(`provenance: ${markdownText(settings.provenance)}`);
  if (settings.sbom !== undefined) facts.push(`SBOM: ${markdownText(settings.sbom)}`);
  if (settings.annotations.length > 0) facts.push(`annotations: ${settings.annotations.length}`);
  return facts;
}
