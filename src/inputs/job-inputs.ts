// The inputs stage: the settings a job runs with, checked before anything runs, and the Dockerfile
// it builds. A merge job (`merge: <platforms>`) builds nothing: it reads no Dockerfile.
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InputError } from '../shared/errors.js';
import { laterSettings } from './annotation-levels.js';
import { checkBuildSources } from './check-build-sources.js';
import { withoutEmptySecrets } from './empty-secrets.js';
import type { InputName, RawInputs } from './input-names.js';
import { parseInputs } from './parse-inputs.js';
import type { Settings } from './settings.js';

export interface JobInputs {
  settings: Settings;
  /** The Dockerfile (its text undefined when it could not be read); undefined for a merge job. */
  dockerfile: { text: string | undefined } | undefined;
  /** What the job goes without (an empty build secret): one notice each. */
  notices: string[];
}

function expect(kind: 'directory' | 'file', where: string, input: InputName): void {
  const found = statSync(where, { throwIfNoEntry: false });
  const ok = kind === 'directory' ? found?.isDirectory() : found?.isFile();
  if (ok !== true) throw new InputError(input, `${kind} ${where} does not exist`);
}

/**
 * Checks that the paths the plan uses exist, before any test or build starts. Synchronous: three
 * stats cost less than waiting for the thread pool while git and the probe keep the main thread busy.
 */
function checkPaths(settings: Settings): void {
  expect('directory', settings.workingDirectory, 'working-directory');
  expect('directory', settings.context, 'context');
  expect('file', settings.file, 'file');
}

/** Parses and checks the inputs; a build job's Dockerfile is read here, once. */
export async function readJobInputs(raw: RawInputs, env: NodeJS.ProcessEnv): Promise<JobInputs> {
  const parsed = parseInputs(raw, env.GITHUB_WORKSPACE || process.cwd());
  const usable = withoutEmptySecrets(parsed.settings.secrets, env);
  const notices = [...parsed.notices, ...usable.notices];
  const withSecrets = { ...parsed.settings, secrets: usable.secrets };
  if (withSecrets.merge?.kind === 'platforms')
    return { settings: withSecrets, dockerfile: undefined, notices };
  // A `merge: later` job leaves the index annotations to the merge job.
  const settings = withSecrets.merge?.kind === 'later' ? laterSettings(withSecrets) : withSecrets;
  checkPaths(settings);
  checkBuildSources(settings, env);
  const text = await readFile(settings.file, 'utf8').catch(() => undefined);
  return { settings, dockerfile: { text }, notices };
}
