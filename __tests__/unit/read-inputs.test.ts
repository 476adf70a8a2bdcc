import { jest } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkBuildSources } from '../../src/inputs/job-inputs.js';
import { InputError } from '../../src/shared/errors.js';
import { readRawInputs } from '../../src/inputs/read-inputs.js';
import { settings } from './helpers.js';

describe('readRawInputs', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  /** What the step printed while reading its inputs (the runner's `::add-mask::` commands among it). */
  async function read(inputs: Record<string, string>, env: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
    Object.assign(process.env, env);
    const printed: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const raw = await readRawInputs();
    return {
      raw,
      masks: printed
        .join('')
        .split(os.EOL)
        .filter((line) => line.startsWith('::add-mask::')),
    };
  }

  it('masks the password, every secret value, each line of a multi-line one, and secret-envs values', async () => {
    const { raw, masks } = await read(
      {
        password: 'pa55',
        secrets: 'tok=t0ken\n"key=-----BEGIN\nbody\n-----END"',
        'secret-envs': 'gh=GH_SECRET_VALUE_VAR, unset=NOT_SET',
      },
      { GH_SECRET_VALUE_VAR: 'ghp_abc' },
    );
    expect(masks).toEqual([
      '::add-mask::pa55',
      '::add-mask::t0ken',
      '::add-mask::-----BEGIN%0Abody%0A-----END',
      '::add-mask::-----BEGIN',
      '::add-mask::body',
      '::add-mask::-----END',
      '::add-mask::ghp_abc',
    ]);
    expect(raw.secrets).toBe('tok=t0ken\n"key=-----BEGIN\nbody\n-----END"');
  });

  it('masks a multi-line secret-envs value whole and line by line, as it does a `secrets` one', async () => {
    const { masks } = await read(
      { 'secret-envs': 'key=DEPLOY_KEY_VAR' },
      { DEPLOY_KEY_VAR: '-----BEGIN KEY-----\n  c2VjcmV0LWxpbmU=\n-----END KEY-----' },
    );
    expect(masks).toEqual([
      '::add-mask::-----BEGIN KEY-----%0A  c2VjcmV0LWxpbmU=%0A-----END KEY-----',
      '::add-mask::-----BEGIN KEY-----',
      '::add-mask::  c2VjcmV0LWxpbmU=',
      '::add-mask::c2VjcmV0LWxpbmU=',
      '::add-mask::-----END KEY-----',
    ]);
  });

  it('reads the password and the secrets, then deletes INPUT_PASSWORD and INPUT_SECRETS from the process environment', async () => {
    const { raw } = await read({
      password: 'hunter2-read-once',
      secrets: 'a=s3cret-read-once',
      image: 'acme/app',
    });
    expect(raw.password).toBe('hunter2-read-once');
    expect(raw.secrets).toBe('a=s3cret-read-once');
    expect(raw.image).toBe('acme/app');
    expect(process.env.INPUT_PASSWORD).toBeUndefined();
    expect(process.env.INPUT_SECRETS).toBeUndefined();
    expect(Object.values(process.env).join('\n')).not.toMatch(/read-once/);
    // The other inputs stay: only the secrets are forgotten.
    expect(process.env.INPUT_IMAGE).toBe('acme/app');
  });

  it('keeps the spaces around a quoted secret (the runner would trim them)', async () => {
    const { raw } = await read({ secrets: '"a=  padded  "\n' });
    expect(raw.secrets).toBe('"a=  padded  "\n');
  });
});

describe('checkBuildSources', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'build-sources-'));
  const file = path.join(dir, 'token.txt');
  writeFileSync(file, 'x');

  function failure(
    overrides: Parameters<typeof settings>[0],
    env: NodeJS.ProcessEnv = {},
  ): InputError | undefined {
    try {
      checkBuildSources(settings(overrides), env);
      return undefined;
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
  }

  it('passes when every file and variable is there', () => {
    expect(
      failure(
        {
          secrets: [
            { id: 'f', source: 'file', path: file },
            { id: 'e', source: 'env', variable: 'TOKEN' },
          ],
          ssh: ['default', `key=${file}`],
        },
        { TOKEN: 'v', SSH_AUTH_SOCK: '/run/agent' },
      ),
    ).toBeUndefined();
  });

  it.each<[string, Parameters<typeof settings>[0], NodeJS.ProcessEnv, string, RegExp]>([
    [
      'a missing secret file',
      { secrets: [{ id: 'f', source: 'file', path: `${dir}/nope` }] },
      {},
      'secret-files',
      /file .*nope \(secret "f"\) does not exist/,
    ],
    [
      'a folder as secret file',
      { secrets: [{ id: 'f', source: 'file', path: dir }] },
      {},
      'secret-files',
      /does not exist/,
    ],
    [
      'ssh default without an agent',
      { ssh: ['default'] },
      {},
      'ssh',
      /`default` uses the SSH agent in SSH_AUTH_SOCK, which is not set/,
    ],
    ['a missing ssh key', { ssh: [`key=${file},${dir}/gone`] }, {}, 'ssh', /gone does not exist/],
  ])('%s: an error naming `%s`', (_name, overrides, env, input, message) => {
    const error = failure(overrides, env);
    expect(error?.input).toBe(input);
    expect(error?.message).toMatch(message);
  });
});
