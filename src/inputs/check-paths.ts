import { statSync } from 'node:fs';
import { InputError } from '../shared/errors.js';
import type { InputName } from './input-names.js';
import type { Settings } from './settings.js';

function expect(kind: 'directory' | 'file', where: string, input: InputName): void {
  const found = statSync(where, { throwIfNoEntry: false });
  const ok = kind === 'directory' ? found?.isDirectory() : found?.isFile();
  if (ok !== true) throw new InputError(input, `${kind} ${where} does not exist`);
}

/**
 * Checks that the paths the plan uses exist, before any test or build starts. Synchronous: three
 * stats cost less than waiting for the thread pool while git and the probe keep the main thread busy.
 */
export function checkPaths(settings: Settings): void {
  expect('directory', settings.workingDirectory, 'working-directory');
  expect('directory', settings.context, 'context');
  expect('file', settings.file, 'file');
}
