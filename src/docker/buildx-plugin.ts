// Whether the docker CLI would find the buildx plugin, answered from the file system instead of by
// running every plugin's metadata command as `docker info` does.
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { isExecutableFile } from './executable.js';

/** The CLI's fixed plugin folders on Linux and macOS (docker/cli cli-plugins/manager/manager_unix.go). */
const SYSTEM_PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
];

const PLUGIN_FILE = 'docker-buildx';

/**
 * The folders in the order the CLI searches them (getPluginDirs in docker/cli
 * cli-plugins/manager/manager.go): config.json's extra folders first, then the config folder's
 * `cli-plugins`, then the system folders.
 */
export function pluginDirs(
  configDir: string,
  extraDirs: readonly string[],
  systemDirs: readonly string[] = SYSTEM_PLUGIN_DIRS,
): string[] {
  return [...extraDirs, path.join(configDir, 'cli-plugins'), ...systemDirs];
}

type Candidate = { found: string } | 'none' | 'unreadable';

/** The entry the CLI takes as a plugin candidate: a regular file or a symlink named docker-buildx. */
async function candidateIn(dir: string): Promise<Candidate> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    const entry = entries.find(
      (item) => item.name === PLUGIN_FILE && (item.isFile() || item.isSymbolicLink()),
    );
    return entry === undefined ? 'none' : { found: path.join(dir, PLUGIN_FILE) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Missing folders are the norm; other errors are ignored by new CLIs and fatal to old ones.
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'none' : 'unreadable';
  }
}

/**
 * true: the first candidate (the one the CLI would use) is an executable file; false: no candidate
 * anywhere; undefined: the CLI's answer depends on something we do not check (a candidate that is
 * not executable, a broken symlink, a folder we cannot list).
 */
export async function buildxPluginPresent(dirs: readonly string[]): Promise<boolean | undefined> {
  const candidates = await Promise.all(dirs.map(candidateIn));
  for (const candidate of candidates) {
    if (candidate === 'unreadable') return undefined;
    if (candidate !== 'none') return (await isExecutableFile(candidate.found)) ? true : undefined;
  }
  return false;
}
