import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import * as path from 'node:path';

/** Whether `file`, symlinks followed, is a regular file this process may execute. */
export async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether spawning `program` would find it on `searchPath` (a PATH value; an empty entry is the working folder). */
export async function isOnPath(program: string, searchPath: string | undefined): Promise<boolean> {
  if (searchPath === undefined || searchPath === '') return false;
  const found = await Promise.all(
    searchPath.split(path.delimiter).map((dir) => isExecutableFile(path.join(dir || '.', program))),
  );
  return found.includes(true);
}
