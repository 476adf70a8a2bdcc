import { readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Requirements files are small; a larger file is not read at all. */
const MAX_BYTES = 1024 * 1024;

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Reads a regular file of the build context, as the audit's rules ask for one by a path relative to
 * it. A path that leaves the context, or a symbolic link (of the file or of a folder on its way)
 * whose target is outside it, reads as no file: docker's build never follows those either, and the
 * pull request that adds `requirements.txt -> ~/.docker/config.json` must not get that file quoted.
 */
export function contextFileReader(context: string): (relativePath: string) => string | undefined {
  return (relativePath) => {
    try {
      const root = realpathSync(context);
      const file = realpathSync(path.resolve(root, relativePath));
      if (!isInside(root, file)) return undefined;
      const stat = statSync(file);
      if (!stat.isFile() || stat.size > MAX_BYTES) return undefined;
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}
