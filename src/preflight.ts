import { stat } from 'node:fs/promises';
import { InputError } from './errors.js';
import type { InputName } from './inputs.js';
import type { Settings } from './settings.js';

async function expect(kind: 'directory' | 'file', where: string, input: InputName): Promise<void> {
  const found = await stat(where).catch(() => undefined);
  const ok = kind === 'directory' ? found?.isDirectory() : found?.isFile();
  if (ok !== true) throw new InputError(input, `${kind} ${where} does not exist`);
}

/** Checks that the paths the plan uses exist, before any test or build starts. */
export async function checkPaths(settings: Settings): Promise<void> {
  await expect('directory', settings.workingDirectory, 'working-directory');
  await expect('directory', settings.context, 'context');
  await expect('file', settings.file, 'file');
}
