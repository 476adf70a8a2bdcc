import type SemVer from 'semver/classes/semver.js';
import parse from 'semver/functions/parse.js';
import type { LatestPolicy } from '../inputs/settings.js';
import { type ResolvedTag, sanitizeTag } from './tags.js';

/** A git tag read as a semantic version (`v1.2.3`, `1.2.3`, `v2.0.0-rc.1`); undefined when it is not one. */
export function parseVersion(gitTag: string): SemVer | undefined {
  return parse(gitTag) ?? undefined;
}

/**
 * The version tags of a release: `1.2.3`, `1.2` and `1`. A pre-release gets its full version only
 * (an `rc` must never move `1.2`), and major version 0 gets no bare `0`. Build metadata stays in the
 * full version (`+` becomes `-` when sanitised) so that two builds of one version stay apart.
 */
export function versionTags(version: SemVer): string[] {
  const full = version.build.length > 0 ? `${version.version}+${version.build.join('.')}` : version.version;
  if (version.prerelease.length > 0) return [full];
  const tags = [full, `${version.major}.${version.minor}`];
  if (version.major > 0) tags.push(`${version.major}`);
  return tags;
}

/** Whether the run gets `latest`: under `auto`, a run for a git tag that is not a pre-release. */
export function wantsLatest(policy: LatestPolicy, gitTag: string | undefined): boolean {
  if (policy !== 'auto') return policy === 'always';
  if (gitTag === undefined) return false;
  return (parseVersion(gitTag)?.prerelease.length ?? 0) === 0;
}

/** The tags a release adds after the templates': versions (when `semver` is on), then `latest`. */
export function releaseTags(
  gitTag: string | undefined,
  options: { semver: boolean; latest: LatestPolicy },
): ResolvedTag[] {
  const version = gitTag === undefined || !options.semver ? undefined : parseVersion(gitTag);
  const tags: ResolvedTag[] =
    gitTag === undefined || version === undefined
      ? []
      : versionTags(version).map((tag) => ({ tag: sanitizeTag(tag), source: gitTag, rule: 'semver' }));
  if (wantsLatest(options.latest, gitTag)) {
    tags.push({ tag: 'latest', source: gitTag ?? 'latest: true', rule: 'latest' });
  }
  return tags;
}
