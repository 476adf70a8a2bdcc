import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { INPUT_NAMES, type RawInputs } from '../src/inputs/input-names.js';
import { parseInputs } from '../src/inputs/parse-inputs.js';
import type { Settings } from '../src/inputs/settings.js';
import { yamlReader } from '../src/inputs/registry-auth.js';

export const WORKSPACE = '/home/runner/work/webapp/webapp';

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

/** Inputs as the runner passes them with action.yml's defaults, plus the ones a test sets. */
export function rawInputs(inputs: Partial<RawInputs> = {}): RawInputs {
  const defaults = Object.fromEntries(INPUT_NAMES.map((name) => [name, action.inputs[name]?.default ?? '']));
  return { ...(defaults as RawInputs), image: 'ghcr.io/acme/webapp', ...inputs };
}

export function settingsWith(inputs: Partial<RawInputs> = {}): Settings {
  return parseInputs(rawInputs(inputs), WORKSPACE, yamlReader(parse)).settings;
}
