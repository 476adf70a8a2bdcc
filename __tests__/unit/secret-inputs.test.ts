import { InputError } from '../../src/shared/errors.js';
import {
  parseSecretInputs,
  secretEntries,
  secretValuesToMask,
  type BuildSecret,
} from '../../src/inputs/secret-inputs.js';

const WD = '/ws/app';
const none = { secrets: '', 'secret-files': '', 'secret-envs': '' };

function parse(overrides: Partial<typeof none>): BuildSecret[] {
  return parseSecretInputs({ ...none, ...overrides }, WD);
}

function failure(overrides: Partial<typeof none>): InputError {
  try {
    parse(overrides);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no InputError');
}

/** The ids and where each comes from; a value shows as what it reveals. */
function shown(secrets: BuildSecret[]): string[] {
  return secrets.map((secret) =>
    secret.source === 'value'
      ? `${secret.id} value ${JSON.stringify(secret.value.reveal())}`
      : secret.source === 'file'
        ? `${secret.id} file ${secret.path}`
        : `${secret.id} env ${secret.variable}`,
  );
}

describe('secretEntries', () => {
  it.each<[string, string, { text: string; closed: boolean }[]]>([
    [
      'one a line, trimmed, CRLF',
      ' A=1 \r\nB=2\n\n',
      [
        { text: 'A=1', closed: true },
        { text: 'B=2', closed: true },
      ],
    ],
    ['a # line is a value, not a comment', '#x=1', [{ text: '#x=1', closed: true }]],
    [
      'a quoted entry spans lines and keeps its spaces',
      '"KEY=line 1\n  line 2 "\nB=2',
      [
        { text: 'KEY=line 1\n  line 2 ', closed: true },
        { text: 'B=2', closed: true },
      ],
    ],
    ['"" is one quote', '"A=say ""hi"""', [{ text: 'A=say "hi"', closed: true }]],
    ['an unclosed quote', '"A=open\nB=2', [{ text: 'A=open\nB=2', closed: false }]],
    ['nothing', '  \n ', []],
  ])('%s', (_name, text, entries) => {
    expect(secretEntries(text)).toEqual(entries);
  });
});

describe('secretValuesToMask', () => {
  it('every value, and each line of a multi-line value, trimmed and not; never an empty one', () => {
    expect(secretValuesToMask('A=tok3n\n"KEY=-----BEGIN\n  body \n-----END"\nB=\nbroken')).toEqual([
      'tok3n',
      '-----BEGIN\n  body \n-----END',
      'broken',
      '-----BEGIN',
      '  body ',
      'body',
      '-----END',
    ]);
  });

  it('a value with = in it is masked from the first = on', () => {
    expect(secretValuesToMask('TOKEN=a=b=c')).toEqual(['a=b=c']);
  });
});

describe('parseSecretInputs', () => {
  it('nothing given: no secrets', () => {
    expect(parse({})).toEqual([]);
  });

  it('values, files (relative to working-directory) and env variables, in that order', () => {
    expect(
      shown(
        parse({
          secrets: 'PIP_TOKEN=abc=def\n"MULTI=x\ny"',
          'secret-files': 'npmrc=.npmrc\nkey=/etc/key\n# a comment',
          'secret-envs': 'gh=GH_TOKEN, other = OTHER_VAR',
        }),
      ),
    ).toEqual([
      'PIP_TOKEN value "abc=def"',
      'MULTI value "x\\ny"',
      'npmrc file /ws/app/.npmrc',
      'key file /etc/key',
      'gh env GH_TOKEN',
      'other env OTHER_VAR',
    ]);
  });

  it('a value is a Secret: it prints as ***', () => {
    const [secret] = parse({ secrets: 'A=hunter2' });
    expect(JSON.stringify(secret)).not.toContain('hunter2');
    expect(String(secret?.source === 'value' ? secret.value : '')).toBe('***');
  });

  it.each<[string, Partial<typeof none>, string, string]>([
    ['secrets line without =', { secrets: 'hunter2' }, 'secrets', 'entry 1 is not id=…'],
    ['secrets bad id', { secrets: 'A=1\nmy id=hunter2' }, 'secrets', 'entry 2 is not id=…'],
    ['secrets unclosed quote', { secrets: '"A=hunter2' }, 'secrets', 'entry 1 opens a double quote'],
    ['secret-files without =', { 'secret-files': '.npmrc' }, 'secret-files', 'line ".npmrc" is not id=…'],
    ['secret-files no path', { 'secret-files': 'a= ' }, 'secret-files', 'secret "a" names no file'],
    ['secret-envs bad name', { 'secret-envs': 'a=MY-VAR' }, 'secret-envs', '"MY-VAR" (secret "a") is not'],
    ['secret-envs without =', { 'secret-envs': 'GH_TOKEN' }, 'secret-envs', 'line "GH_TOKEN" is not id=…'],
    [
      'an id twice across inputs',
      { secrets: 'tok=hunter2', 'secret-envs': 'tok=GH_TOKEN' },
      'secret-envs',
      'secret id "tok" is given twice (also in `secrets`)',
    ],
  ])('%s: an error naming `%s`, never quoting a value', (_name, overrides, input, message) => {
    const error = failure(overrides);
    expect(error.input).toBe(input);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('hunter2');
  });
});
