import { parseInputs } from '../../src/inputs/parse-inputs.js';
import { INPUT_NAMES, type RawInputs } from '../../src/inputs/input-names.js';

function raw(overrides: Partial<RawInputs> = {}): RawInputs {
  const empty = Object.fromEntries(INPUT_NAMES.map((name) => [name, ''])) as RawInputs;
  return { ...empty, image: 'acme/app', ...overrides };
}

const settings = (overrides: Partial<RawInputs>) => parseInputs(raw(overrides), '/work').settings;

describe('audit, audit-ignore and target inputs', () => {
  test('defaults: warn, nothing ignored, no target', () => {
    expect(settings({})).toMatchObject({ audit: 'warn', auditIgnore: [], target: undefined });
  });

  test.each(['warn', 'error', 'off', ' ERROR '])('audit: %j', (value) => {
    expect(settings({ audit: value }).audit).toBe(value.trim().toLowerCase());
  });

  test('audit-ignore takes ids one per line or separated by commas, once each', () => {
    expect(settings({ 'audit-ignore': 'root-user, apt-lists\n# comment\nroot-user\n' }).auditIgnore).toEqual([
      'root-user',
      'apt-lists',
    ]);
  });

  test('target is kept as given', () => {
    expect(settings({ target: ' production ' }).target).toBe('production');
  });

  test.each([
    [{ audit: 'strict' }, 'Input `audit`: "strict" is not one of warn, error, off'],
    [
      { 'audit-ignore': 'root' },
      'Input `audit-ignore`: "root" is not an audit rule id; known ids: root-user,',
    ],
    [{ target: 'my stage' }, 'Input `target`: "my stage" is not a build stage name'],
  ])('%j is refused with the input and the fix', (overrides, message) => {
    expect(() => settings(overrides)).toThrow(message);
  });
});
