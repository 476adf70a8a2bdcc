import type SemVer from 'semver/classes/semver.js';
import parse from 'semver/functions/parse.js';

/** A git tag read as a semantic version (`v1.2.3`, `1.2.3`, `v2.0.0-rc.1`); undefined when it is not one. */
export function parseVersion(gitTag: string): SemVer | undefined {
  return parse(gitTag) ?? undefined;
}

/** The version without `v`, pre-release and build metadata included: `1.2.3`, `2.0.0-rc.1`, `1.2.3+build.5`. */
export function fullVersion(version: SemVer): string {
  return version.build.length > 0 ? `${version.version}+${version.build.join('.')}` : version.version;
}

/** Why a template that uses a version part is skipped on this release; undefined: it renders. */
export function versionPartSkip(version: SemVer, used: readonly string[]): string | undefined {
  const parts = used.filter((name) => name === 'major' || name === 'minor' || name === 'patch');
  if (parts.length === 0) return undefined;
  // An rc must never move `1.2` or `v1`: a pre-release gets only what names its whole version.
  if (version.prerelease.length > 0) return `${version.version} is a pre-release, which moves no version tag`;
  // `0` would move across breaking changes: 0.x versions make no promise between minors.
  if (
    version.major === 0 &&
    !used.includes('minor') &&
    !used.includes('patch') &&
    !used.includes('version')
  ) {
    return `{major} alone is 0 on ${version.version}, and 0.x makes no promise between minor versions`;
  }
  return undefined;
}
