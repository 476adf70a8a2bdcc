import * as core from '@actions/core';
import { INPUT_NAMES, type RawInputs } from './input-names.js';
import { registryAuthValuesToMask, yamlReaderFor } from './registry-auth.js';
import { maskForms, secretValuesToMask } from './secret-inputs.js';

/**
 * Reads every input from the runner; the passwords (`password`, `registry-auth`'s), the token and the
 * build secrets' values (each line of a multi-line one too) are masked before anything can log them,
 * and the inputs that hold them are then deleted from this process's environment, so nothing that
 * reads process.env later (a library, a
 * child started without our filtered environment) finds them. The runner's copy of the environment
 * in /proc/<pid>/environ is not changed by this; see the README's Security section.
 */
export async function readRawInputs(env: NodeJS.ProcessEnv = process.env): Promise<RawInputs> {
  const password = core.getInput('password');
  if (password !== '') core.setSecret(password);
  const token = core.getInput('github-token');
  if (token !== '') core.setSecret(token);
  const secrets = core.getInput('secrets', { trimWhitespace: false });
  const registryAuth = core.getInput('registry-auth');
  const readYaml = await yamlReaderFor(registryAuth);
  [...secretValuesToMask(secrets), ...registryAuthValuesToMask(registryAuth, readYaml)].forEach((value) => {
    core.setSecret(value);
  });
  // `secret-envs` values come from the step's environment; masked too (each line of a multi-line
  // one as well), in case the workflow did not.
  const fromEnv = core
    .getInput('secret-envs')
    .split(/[\n,]/)
    .filter((line) => line.includes('='))
    .map((line) => env[line.slice(line.indexOf('=') + 1).trim()] ?? '');
  maskForms(fromEnv).forEach((value) => {
    core.setSecret(value);
  });
  const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, core.getInput(name)])) as RawInputs;
  delete env.INPUT_PASSWORD;
  delete env['INPUT_GITHUB-TOKEN'];
  delete env.INPUT_SECRETS;
  delete env['INPUT_REGISTRY-AUTH'];
  // Spaces around a quoted multi-line secret are its own: read it untrimmed.
  return { ...raw, secrets };
}
