import type SemVer from 'semver/classes/semver.js';
import type { LatestPolicy } from '../inputs/settings.js';
import { type RefNames, type ResolvedTag, sanitizeTag } from './tags.js';
import { fullVersion, parseVersion } from './version.js';

/**
 * The version tags of a release: `1.2.3`, `1.2` and `1`. A pre-release gets its full version only
 * (an `rc` must never move `1.2`), and major version 0 gets no bare `0`. Build metadata stays in the
 * full version (`+` becomes `-` when sanitised) so that two builds of one version stay apart.
 */
export function versionTags(version: SemVer): string[] {
  const full = fullVersion(version);
  if (version.prerelease.length > 0) return [full];
  const tags = [full, `${version.major}.${version.minor}`];
  if (version.major > 0) tags.push(`${version.major}`);
  return tags;
}

/**
 * Whether the run gets `latest`: under `auto`, a run for a git tag that is not a pre-release; under
 * `default-branch`, a run of the default branch (`names` of a pull request or a tag name none).
 */
export function wantsLatest(
  policy: LatestPolicy,
  names: Pick<RefNames, 'gitTag' | 'refSource' | 'ref'>,
  defaultBranch: string | undefined,
): boolean {
  switch (policy) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'default-branch':
      return names.refSource === 'branch' && defaultBranch !== undefined && names.ref === defaultBranch;
    case 'auto':
      return names.gitTag !== undefined && (parseVersion(names.gitTag)?.prerelease.length ?? 0) === 0;
  }
}

/**
 * The tags a release adds after the templates': versions (when `semver` is on), then `latest`. The
 * full version is exact; `1.2`, `1` and a release's `latest` move to newer versions, a branch run's
 * `latest` moves with the branch.
 */
export function releaseTags(
  names: Pick<RefNames, 'gitTag' | 'refSource' | 'ref'>,
  options: { semver: boolean; latest: LatestPolicy; defaultBranch?: string | undefined },
): ResolvedTag[] {
  const { gitTag } = names;
  const version = gitTag === undefined || !options.semver ? undefined : parseVersion(gitTag);
  const tags: ResolvedTag[] =
    gitTag === undefined || version === undefined
      ? []
      : versionTags(version).map((tag, index) => ({
          tag: sanitizeTag(tag),
          source: gitTag,
          rule: 'semver',
          ...(index === 0 ? {} : { moves: 'release' }),
        }));
  if (wantsLatest(options.latest, names, options.defaultBranch)) {
    const moves = latestMotion(names);
    tags.push({
      tag: 'latest',
      source: gitTag ?? `latest: ${options.latest === 'always' ? 'true' : options.latest}`,
      rule: 'latest',
      ...(moves === undefined ? {} : { moves }),
    });
  }
  return tags;
}

/** `latest` follows versions on a release, the branch on a branch's run, and is exact otherwise. */
function latestMotion(names: Pick<RefNames, 'gitTag' | 'refSource'>): ResolvedTag['moves'] {
  if (names.gitTag !== undefined && parseVersion(names.gitTag) !== undefined) return 'release';
  return names.refSource === 'branch' || names.refSource === 'pull request' ? 'branch' : undefined;
}
