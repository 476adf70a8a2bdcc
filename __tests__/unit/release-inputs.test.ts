import { rawInputs, settingsWith, WORKSPACE } from '../../__fixtures__/inputs.js';
import { InputError } from '../../src/shared/errors.js';
import { parseInputs } from '../../src/inputs/parse-inputs.js';
import { type RawInputs } from '../../src/inputs/input-names.js';

function inputError(inputs: Partial<RawInputs>): InputError {
  try {
    parseInputs(rawInputs(inputs), WORKSPACE);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('semver', () => {
  it.each([
    ['', true],
    ['true', true],
    ['False', false],
  ])('%j → %s', (semver, expected) => {
    expect(settingsWith({ semver }).semver).toBe(expected);
  });

  it('names the input when it is not a boolean', () => {
    expect(inputError({ semver: 'yes' }).message).toBe(
      'Input `semver`: "yes" is not a boolean; use true or false',
    );
  });
});

describe('latest', () => {
  it.each([
    ['', 'auto'],
    ['auto', 'auto'],
    [' AUTO ', 'auto'],
    ['true', 'always'],
    ['TRUE', 'always'],
    ['false', 'never'],
  ] as const)('%j → %s', (latest, expected) => {
    expect(settingsWith({ latest }).latest).toBe(expected);
  });

  it('names the input and the valid values', () => {
    expect(inputError({ latest: 'sometimes' }).message).toBe(
      'Input `latest`: "sometimes" is not valid; use auto, default-branch, true or false',
    );
  });
});

describe('labels', () => {
  it('reads KEY=VALUE lines; values may hold = and spaces; a later line wins', () => {
    expect(
      settingsWith({
        labels: [
          'org.opencontainers.image.vendor=Acme Corp',
          '# a comment',
          '',
          'com.acme.query=a=b&c=d',
          'com.acme.empty=',
          'com.acme.team = web ',
          'com.acme.query=second',
        ].join('\n'),
      }).labels,
    ).toEqual({
      'org.opencontainers.image.vendor': 'Acme Corp',
      'com.acme.query': 'second',
      'com.acme.empty': '',
      'com.acme.team': 'web',
    });
  });

  it('keeps a key named __proto__ as a label', () => {
    const labels = settingsWith({ labels: '__proto__=x' }).labels;
    expect(Object.keys(labels)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });

  it.each(['no-equals-sign', '=value', 'a key=value'])('refuses %j, naming the input', (line) => {
    const error = inputError({ labels: line });
    expect(error.input).toBe('labels');
    expect(error.message).toContain(`line "${line}" is not KEY=VALUE`);
  });
});
