import * as core from '@actions/core';
import { INPUT_NAMES, type RawInputs } from './input-names.js';

/**
 * Reads every input from the runner; the password is masked before anything can log it, and then
 * deleted from this process's environment, so nothing that reads process.env later (a library, a
 * child started without our filtered environment) finds it. The runner's copy of the environment in
 * /proc/<pid>/environ is not changed by this; see the README's Security section.
 */
export function readRawInputs(env: NodeJS.ProcessEnv = process.env): RawInputs {
  const password = core.getInput('password');
  if (password !== '') core.setSecret(password);
  const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, core.getInput(name)])) as RawInputs;
  delete env.INPUT_PASSWORD;
  return raw;
}
