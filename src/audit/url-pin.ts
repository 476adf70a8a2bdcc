/** A commit sha (short or full) or a version (`v1.2.3`, `1.2`, `release-2.0`): a ref that does not move. */
const FIXED_REF = /^([0-9a-f]{7,40}|(?:[A-Za-z][\w.-]*?[-_])?v?\d+(?:[.\w+-]*))$/i;

/** An archive file named after a branch. */
const MOVING_NAME =
  /\/(?:master|main|develop|development|dev|trunk|head|latest|nightly)\.(?:tar\.gz|tgz|tar\.bz2|zip)$/i;

/** The ref a source archive is made of, from a forge's archive URL path; undefined for other URLs. */
function archiveRef(pathname: string): string | undefined {
  return (
    // GitLab: /o/r/-/archive/<ref>/r-<ref>.tar.gz
    /\/-\/archive\/(.+?)\/[^/]+$/.exec(pathname)?.[1] ??
    // GitHub: /o/r/archive/<ref>.tar.gz, /o/r/archive/refs/heads|tags/<ref>.zip; Bitbucket: /o/r/get/<ref>.zip
    /\/(?:archive|get)\/(.+?)\.(?:tar\.gz|tgz|tar\.bz2|zip)$/.exec(pathname)?.[1]
  );
}

function fixedRef(ref: string): boolean {
  if (ref.startsWith('refs/tags/')) return true;
  if (ref.startsWith('refs/heads/')) return false;
  return FIXED_REF.test(ref);
}

/**
 * Whether a direct URL requirement always installs the same code: a VCS URL (`git+https://…@ref`)
 * names a commit or a version tag, an archive of a forge names a commit or a tag, not a branch
 * (`…/archive/master.tar.gz`, `…/archive/refs/heads/main.zip`, `git+https://…` with no ref). Any
 * other URL is a file (a wheel, an sdist) and counts as pinned.
 */
export function urlIsPinned(url: string): boolean {
  const bare = url.replace(/#.*$/, '');
  if (/^(git|hg|svn|bzr)\+/.test(bare)) {
    let pathname: string;
    try {
      pathname = new URL(bare.replace(/^[a-z]+\+/, '')).pathname;
    } catch {
      return false;
    }
    const at = pathname.lastIndexOf('@');
    return at !== -1 && fixedRef(pathname.slice(at + 1));
  }
  let pathname: string;
  try {
    pathname = new URL(bare).pathname;
  } catch {
    return true;
  }
  const ref = archiveRef(pathname);
  if (ref !== undefined) return fixedRef(ref);
  // Any other archive named after a branch: …/downloads/main.zip.
  return !MOVING_NAME.test(pathname);
}
