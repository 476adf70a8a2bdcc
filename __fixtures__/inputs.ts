import { parseInputs, type RawInputs } from '../src/inputs.js';
import type { Settings } from '../src/settings.js';

export const WORKSPACE = '/home/runner/work/webapp/webapp';

/** Inputs as the runner passes them with action.yml's defaults, plus the ones a test sets. */
export function rawInputs(inputs: Partial<RawInputs> = {}): RawInputs {
  return {
    image: 'ghcr.io/acme/webapp',
    registry: '',
    username: '',
    password: '',
    tag: '{ref}',
    semver: 'true',
    latest: 'auto',
    labels: '',
    'test-command': '',
    'working-directory': '.',
    context: '.',
    file: '',
    'build-args': '',
    push: 'true',
    'dry-run': 'false',
    ...inputs,
  };
}

export function settingsWith(inputs: Partial<RawInputs> = {}): Settings {
  return parseInputs(rawInputs(inputs), WORKSPACE).settings;
}
