import { withoutEmptySecrets } from '../../src/inputs/job-inputs.js';
import { parseSecretInputs } from '../../src/inputs/secret-inputs.js';

const parse = (inputs: Partial<Record<'secrets' | 'secret-files' | 'secret-envs', string>>) =>
  parseSecretInputs({ secrets: '', 'secret-files': '', 'secret-envs': '', ...inputs }, '/ws');

describe('withoutEmptySecrets', () => {
  it('keeps every secret that has a value', () => {
    const secrets = parse({ secrets: 'a=1', 'secret-files': 'f=x', 'secret-envs': 'e=TOKEN' });
    expect(withoutEmptySecrets(secrets, { TOKEN: 't' })).toEqual({ secrets, notices: [] });
  });

  test.each([
    ['a secrets line with an empty value', { secrets: 'a=1\nempty=' }, {}, '"empty" (`secrets`) is empty'],
    ['an empty quoted entry', { secrets: 'a=1\n"empty="' }, {}, '"empty" (`secrets`) is empty'],
    [
      'an unset secret-envs variable',
      { secrets: 'a=1', 'secret-envs': 'empty=GONE' },
      {},
      'GONE is not set or empty',
    ],
    [
      'an empty secret-envs variable',
      { secrets: 'a=1', 'secret-envs': 'empty=BLANK' },
      { BLANK: '' },
      'BLANK is not set or empty',
    ],
  ])('skips %s, with a notice naming it', (_, inputs, env, notice) => {
    const { secrets, notices } = withoutEmptySecrets(parse(inputs), env);
    expect(secrets.map((secret) => secret.id)).toEqual(['a']);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(notice);
    expect(notices[0]).toContain('the build goes without it');
  });

  it('a fork: every secret empty, none left and a notice each', () => {
    const { secrets, notices } = withoutEmptySecrets(parse({ secrets: 'a=\nb=', 'secret-envs': 'c=TOKEN' }), {
      TOKEN: '',
    });
    expect(secrets).toEqual([]);
    expect(notices).toHaveLength(3);
  });

  it('a secret-files entry is never skipped here (a missing file is an error elsewhere)', () => {
    const secrets = parse({ 'secret-files': 'f=missing' });
    expect(withoutEmptySecrets(secrets, {}).secrets).toEqual(secrets);
  });
});
