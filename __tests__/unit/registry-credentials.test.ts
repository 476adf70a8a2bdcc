import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  hostOfAuthKey,
  lookupCredentials,
  type RegistryCredentials,
} from '../../src/registry/credentials.js';

const HUB = 'https://index.docker.io/v1/';
const encode = (userPass: string): string => Buffer.from(userPass).toString('base64');

function configDir(config: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'registry-credentials-'));
  if (config !== undefined) writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

async function lookup(config: unknown, server: string): Promise<RegistryCredentials | string> {
  try {
    return await lookupCredentials(
      configDir(config),
      server,
      { PATH: '/nonexistent' },
      AbortSignal.timeout(5000),
    );
  } catch (error) {
    return `unknown: ${(error as Error).message}`;
  }
}

const alice = { kind: 'basic', username: 'alice', password: 's3cret:with:colons' };
const anonymous = { kind: 'anonymous' };

describe('lookupCredentials (the auths of config.json)', () => {
  it.each([
    ['no config.json', undefined, 'ghcr.io', anonymous],
    ['an empty config', {}, 'ghcr.io', anonymous],
    [
      'the exact host key',
      { auths: { 'ghcr.io': { auth: encode('alice:s3cret:with:colons') } } },
      'ghcr.io',
      alice,
    ],
    [
      'an https:// key',
      { auths: { 'https://ghcr.io': { auth: encode('alice:s3cret:with:colons') } } },
      'ghcr.io',
      alice,
    ],
    [
      'an http:// key with a path',
      { auths: { 'http://reg.lan:5000/v2/': { auth: encode('alice:s3cret:with:colons') } } },
      'reg.lan:5000',
      alice,
    ],
    [
      'another port is another registry',
      { auths: { 'reg.lan:5001': { auth: encode('a:b') } } },
      'reg.lan:5000',
      anonymous,
    ],
    ['another host', { auths: { 'ghcr.io.evil': { auth: encode('a:b') } } }, 'ghcr.io', anonymous],
    [
      'Docker Hub under its index URL',
      { auths: { [HUB]: { auth: encode('alice:s3cret:with:colons') } } },
      HUB,
      alice,
    ],
    ['Docker Hub is not docker.io', { auths: { 'docker.io': { auth: encode('a:b') } } }, HUB, anonymous],
    [
      'username and password fields',
      { auths: { 'ghcr.io': { username: 'alice', password: 's3cret:with:colons' } } },
      'ghcr.io',
      alice,
    ],
    ['an empty entry (a credential store placeholder)', { auths: { 'ghcr.io': {} } }, 'ghcr.io', anonymous],
    [
      'an identity token (traded at the token server, as docker does)',
      { auths: { 'ghcr.io': { identitytoken: 'tok' } } },
      'ghcr.io',
      { kind: 'identity-token', token: 'tok' },
    ],
    [
      'the exact key wins over a converted one',
      {
        auths: {
          'https://ghcr.io': { auth: encode('bob:x') },
          'ghcr.io': { auth: encode('alice:s3cret:with:colons') },
        },
      },
      'ghcr.io',
      alice,
    ],
  ])('%s', async (_name, config, server, expected) => {
    expect(await lookup(config, server)).toEqual(expected);
  });

  it.each([
    [
      'auth without a colon',
      { auths: { 'ghcr.io': { auth: encode('nocolon') } } },
      /not base64 user:password/,
    ],
    [
      'a helper that cannot run',
      { credHelpers: { 'ghcr.io': 'gone' } },
      /docker-credential-gone is not in any absolute PATH entry/,
    ],
    [
      'a store that cannot run',
      { credsStore: 'desktop', auths: { 'ghcr.io': { auth: encode('a:b') } } },
      /docker-credential-desktop/,
    ],
    ['a helper name with a path', { credsStore: '../../bin/sh' }, /not a plain name/],
    ['a config that is an array', [], /not a JSON object/],
  ])('%s is unknown', async (_name, config, reason) => {
    expect(await lookup(config, 'ghcr.io')).toMatch(reason);
  });

  it('a helper for another registry is not asked', async () => {
    const config = {
      credHelpers: { 'gcr.io': 'gcloud' },
      auths: { 'ghcr.io': { auth: encode('alice:s3cret:with:colons') } },
    };
    expect(await lookup(config, 'ghcr.io')).toEqual(alice);
  });
});

describe('credential helpers', () => {
  /** A folder holding docker-credential-<name>, which writes its environment to env.txt and answers. */
  function helperDir(name: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'registry-credentials-helper-'));
    const file = path.join(dir, `docker-credential-${name}`);
    writeFileSync(
      file,
      `#!/bin/sh\nenv > '${dir}/env.txt'\necho '{"Username":"alice","Secret":"s3cret:with:colons"}'\n`,
    );
    chmodSync(file, 0o755);
    return dir;
  }

  it('run with the filtered environment: no INPUT_* and no runner service variables', async () => {
    const dir = helperDir('dump');
    const env = {
      PATH: `${dir}:/usr/bin:/bin`,
      INPUT_PASSWORD: 'hunter2-input-password',
      INPUT_USERNAME: 'input-user',
      ACTIONS_RUNTIME_TOKEN: 'runtime-token-value',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token-value',
      KEPT_VARIABLE: 'kept',
    };
    const found = await lookupCredentials(
      configDir({ credsStore: 'dump' }),
      'ghcr.io',
      env,
      AbortSignal.timeout(5000),
    );
    expect(found).toEqual(alice);
    const seen = readFileSync(path.join(dir, 'env.txt'), 'utf8');
    expect(seen).toContain('KEPT_VARIABLE=kept');
    for (const value of ['hunter2-input-password', 'input-user', 'runtime-token-value', 'oidc-token-value']) {
      expect(seen).not.toContain(value);
    }
  });

  it.each([
    ['an empty PATH entry', ''],
    ['a relative PATH entry', '.'],
  ])('are never found through %s (the workspace)', async (_name, entry) => {
    const dir = helperDir('planted');
    const before = process.cwd();
    process.chdir(dir);
    try {
      const result = await lookupCredentials(
        configDir({ credsStore: 'planted' }),
        'ghcr.io',
        { PATH: `/nonexistent:${entry}:/usr/bin` },
        AbortSignal.timeout(5000),
      ).catch((error: unknown) => (error as Error).message);
      expect(result).toMatch(/docker-credential-planted is not in any absolute PATH entry/);
      expect(existsSync(path.join(dir, 'env.txt'))).toBe(false);
    } finally {
      process.chdir(before);
    }
  });
});

describe('hostOfAuthKey', () => {
  it.each([
    ['ghcr.io', 'ghcr.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['http://127.0.0.1:5000/v2/', '127.0.0.1:5000'],
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['reg.lan:5000/path', 'reg.lan:5000'],
  ])('%s → %s', (key, host) => {
    expect(hostOfAuthKey(key)).toBe(host);
  });
});
