import * as core from '@actions/core';
import { INPUT_NAMES, type RawInputs } from './input-names.js';

/** Reads every input from the runner; the password is masked before anything can log it. */
export function readRawInputs(): RawInputs {
  const password = core.getInput('password');
  if (password !== '') core.setSecret(password);
  return Object.fromEntries(INPUT_NAMES.map((name) => [name, core.getInput(name)])) as RawInputs;
}
