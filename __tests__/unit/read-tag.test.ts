import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { newReadMemory, readTag, type ReadTagOptions, type RemoteRead } from '../../src/registry/read-tag.js';
import { realmMayReceiveLogin } from '../../src/registry/session.js';
import { closeConnections } from '../../src/registry/http-request.js';
import { FakeRegistry, OCI_INDEX, OCI_MANIFEST, sha256, type AuthMode } from './fake-registry.js';
import { makeCertificates } from './test-certificates.js';

const LABELS = { 'build-test-push-action.source-ref': 'refs/heads/main' };

/** A DOCKER_CONFIG folder holding `config`. */
function dockerConfig(config?: object): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'registry-client-config-'));
  if (config !== undefined) writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

function loginConfig(registry: FakeRegistry, password = registry.password): string {
  const auth = Buffer.from(`${registry.user}:${password}`).toString('base64');
  return dockerConfig({ auths: { [registry.host]: { auth } } });
}

function options(overrides: Partial<ReadTagOptions> = {}): ReadTagOptions {
  return {
    dockerConfig: dockerConfig(),
    insecure: true,
    timeoutMs: 5000,
    labels: true,
    env: {},
    ...overrides,
  };
}

function expectUnknown(read: RemoteRead, reason: RegExp): void {
  expect(read.kind).toBe('unknown');
  expect(read.kind === 'unknown' ? read.reason : '').toMatch(reason);
}

const registries: FakeRegistry[] = [];
async function start(auth: AuthMode): Promise<FakeRegistry> {
  const registry = await FakeRegistry.start(auth);
  registries.push(registry);
  return registry;
}
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  closeConnections();
  await Promise.all(registries.splice(0).map((registry) => registry.close()));
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('readTag without auth', () => {
  it('reads the digest from the header, the config digest and the labels', async () => {
    const registry = await start('none');
    const { digest, configDigest } = registry.putImage('acme/app', LABELS, 'main');
    const read = await readTag(`${registry.host}/acme/app:main`, options());
    expect(read).toEqual({ kind: 'found', digest, configDigest, labels: LABELS, layers: [] });
    const manifestRequest = registry.requests.find(
      (request) => request.path === '/v2/acme/app/manifests/main',
    );
    expect(manifestRequest?.accept?.split(', ').sort()).toEqual([
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
    ]);
  });

  it('for a verify reads the manifest only: no labels, no blob request', async () => {
    const registry = await start('none');
    const { digest, configDigest } = registry.putImage('acme/app', LABELS, 'main', OCI_MANIFEST);
    const read = await readTag(`${registry.host}/acme/app:main`, options({ labels: false }));
    expect(read).toEqual({ kind: 'found', digest, configDigest, labels: undefined });
    expect(registry.requests.map((request) => request.path)).toEqual(['/v2/acme/app/manifests/main']);
  });

  it('without Docker-Content-Digest, the digest is the sha256 of the body', async () => {
    const registry = await start('none');
    registry.digestHeader = false;
    const { digest } = registry.putImage('acme/app', null, 'main');
    expect(await readTag(`${registry.host}/acme/app:main`, options())).toMatchObject({
      kind: 'found',
      digest,
      labels: {},
    });
  });

  it('a Docker-Content-Digest that is not the body’s is not trusted', async () => {
    const registry = await start('none');
    registry.putImage('acme/app', null, 'main');
    registry.interceptor = (request, response) => {
      if (!request.url?.includes('/manifests/')) return false;
      const body = JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { digest: sha256('x') },
      });
      response
        .writeHead(200, { 'Content-Type': OCI_MANIFEST, 'Docker-Content-Digest': sha256('other') })
        .end(body);
      return true;
    };
    expectUnknown(await readTag(`${registry.host}/acme/app:main`, options()), /does not match/);
  });

  it.each([
    ['a missing tag (MANIFEST_UNKNOWN)', 'acme/app:nope'],
    ['a missing repository (NAME_UNKNOWN)', 'acme/other:main'],
  ])('%s is missing', async (_name, reference) => {
    const registry = await start('none');
    registry.putImage('acme/app', LABELS, 'main');
    expect(await readTag(`${registry.host}/${reference}`, options())).toEqual({ kind: 'missing' });
  });

  it('a 404 from a server that is no registry proves nothing', async () => {
    const registry = await start('none');
    registry.interceptor = (_request, response) => {
      response.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>');
      return true;
    };
    expectUnknown(await readTag(`${registry.host}/acme/app:main`, options()), /HTTP 404/);
  });

  it.each([
    [500, 'server error'],
    [503, 'unavailable'],
  ])('HTTP %s is unknown', async (status) => {
    const registry = await start('none');
    registry.interceptor = (_request, response) => {
      registry.json(response, status, { errors: [{ code: 'UNKNOWN' }] });
      return true;
    };
    expectUnknown(await readTag(`${registry.host}/acme/app:main`, options()), new RegExp(`HTTP ${status}`));
  });

  it.each([
    ['not JSON', 'this is not json'],
    ['a schema 1 manifest', JSON.stringify({ schemaVersion: 1, name: 'acme/app', fsLayers: [] })],
    [
      'a manifest without a config digest',
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {} }),
    ],
  ])('a manifest that is %s is unknown', async (_name, body) => {
    const registry = await start('none');
    registry.interceptor = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
      return true;
    };
    expect((await readTag(`${registry.host}/acme/app:main`, options())).kind).toBe('unknown');
  });

  it('an index: its own digest, no config digest, the labels of its first image (not the attestation)', async () => {
    const registry = await start('none');
    const attestation = registry.putImage('acme/app', { 'attestation-only': 'yes' });
    const arm = registry.putImage('acme/app', { ...LABELS, platform: 'arm64' }, undefined, OCI_MANIFEST, {
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
    });
    const amd = registry.putImage('acme/app', { ...LABELS, platform: 'amd64' }, undefined, OCI_MANIFEST);
    const descriptor = (digest: string, os: string, architecture: string, annotations = {}) => ({
      mediaType: OCI_MANIFEST,
      digest,
      size: 1,
      platform: { os, architecture },
      annotations,
    });
    const digest = registry.putManifest(
      'acme/app',
      {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          descriptor(attestation.digest, 'unknown', 'unknown', {
            'vnd.docker.reference.type': 'attestation-manifest',
          }),
          descriptor(arm.digest, 'linux', 'arm64'),
          descriptor(amd.digest, 'linux', 'amd64'),
        ],
      },
      'main',
    );
    expect(await readTag(`${registry.host}/acme/app:main`, options())).toEqual({
      kind: 'found',
      digest,
      configDigest: undefined,
      labels: { ...LABELS, platform: 'arm64' },
      layers: [],
    });
    expect(await readTag(`${registry.host}/acme/app:main`, options({ labels: false }))).toEqual({
      kind: 'found',
      digest,
      configDigest: undefined,
      labels: undefined,
    });
    // A merge job's read: every image but the attestation, with its platform from its config.
    const platforms = await readTag(
      `${registry.host}/acme/app:main`,
      options({ labels: false, platforms: true }),
    );
    expect(platforms).toMatchObject({
      kind: 'found',
      digest,
      images: [
        { platform: 'linux/arm64/v8', labels: { ...LABELS, platform: 'arm64' } },
        { platform: 'linux/amd64', labels: { ...LABELS, platform: 'amd64' } },
      ],
    });
  });

  it('a single image read for its platforms is one image', async () => {
    const registry = await start('none');
    const { digest } = registry.putImage('acme/app', LABELS, 'main');
    expect(
      await readTag(`${registry.host}/acme/app:main`, options({ labels: false, platforms: true })),
    ).toMatchObject({ kind: 'found', digest, images: [{ platform: 'linux/amd64', labels: LABELS }] });
  });

  it('reads the labels from the config blob in the registry', async () => {
    const registry = await start('none');
    const { configDigest } = registry.putImage('acme/app', LABELS, 'main');
    const read = await readTag(`${registry.host}/acme/app:main`, options());
    expect(read).toMatchObject({ kind: 'found', labels: LABELS });
    expect(registry.requests.map((request) => request.path)).toEqual([
      '/v2/acme/app/manifests/main',
      `/v2/acme/app/blobs/${configDigest}`,
    ]);
  });

  it('a config blob whose content is not its digest is unknown', async () => {
    const registry = await start('none');
    const { configDigest } = registry.putImage('acme/app', LABELS, 'main');
    registry.interceptor = (request, response) => {
      if (request.url !== `/v2/acme/app/blobs/${configDigest}`) return false;
      response.writeHead(200).end(JSON.stringify({ config: { Labels: { forged: 'yes' } } }));
      return true;
    };
    expectUnknown(await readTag(`${registry.host}/acme/app:main`, options()), /does not match/);
  });

  it('a redirect to another server keeps the request but not the Authorization header', async () => {
    const registry = await start('basic');
    const { configDigest } = registry.putImage('acme/app', LABELS, 'main');
    const storage = await start('none');
    const blobPath = `/v2/acme/app/blobs/${configDigest}`;
    registry.interceptor = (request, response) => {
      if (request.url !== blobPath || request.headers.authorization === undefined) return false;
      response.writeHead(307, { Location: `http://${storage.host}/storage/config` }).end();
      return true;
    };
    storage.interceptor = (_request, response) => {
      response.writeHead(200).end(registry.blob('acme/app', configDigest));
      return true;
    };
    const read = await readTag(
      `${registry.host}/acme/app:main`,
      options({ dockerConfig: loginConfig(registry) }),
    );
    expect(read).toMatchObject({ kind: 'found', labels: LABELS });
    expect(storage.requests).toEqual([
      { path: '/storage/config', authorization: undefined, accept: undefined },
    ]);
  });
});

describe('readTag with Basic auth', () => {
  it('asks without credentials first, then with the login from config.json', async () => {
    const registry = await start('basic');
    const { digest } = registry.putImage('acme/app', LABELS, 'main');
    const read = await readTag(
      `${registry.host}/acme/app:main`,
      options({ dockerConfig: loginConfig(registry) }),
    );
    expect(read).toMatchObject({ kind: 'found', digest, labels: LABELS });
    expect(registry.requests.map((request) => request.authorization?.split(' ')[0])).toEqual([
      undefined,
      'Basic',
      'Basic',
    ]);
  });

  it('a wrong password is unknown, and the reason holds neither password nor its encoding', async () => {
    const registry = await start('basic');
    registry.putImage('acme/app', LABELS, 'main');
    const wrong = 'Wr0ng-but-secret-Pa55';
    const read = await readTag(
      `${registry.host}/acme/app:main`,
      options({ dockerConfig: loginConfig(registry, wrong) }),
    );
    expectUnknown(read, /refused the login of ci-user access to acme\/app: HTTP 401 \(UNAUTHORIZED\)/);
    expect(JSON.stringify(read)).not.toContain(wrong);
    expect(JSON.stringify(read)).not.toContain(Buffer.from(`ci-user:${wrong}`).toString('base64'));
  });

  it.each([
    ['no config.json', undefined],
    ['a config.json without a login for the registry', { auths: { 'other.example': { auth: 'eDp5' } } }],
  ])('with %s a Basic challenge is unknown', async (_name, config) => {
    const registry = await start('basic');
    registry.putImage('acme/app', LABELS, 'main');
    expectUnknown(
      await readTag(`${registry.host}/acme/app:main`, options({ dockerConfig: dockerConfig(config) })),
      /asks for a login and docker has none/,
    );
  });

  it('an identity token in config.json is not a Basic login', async () => {
    const registry = await start('basic');
    const config = dockerConfig({ auths: { [registry.host]: { identitytoken: 'refresh-me' } } });
    const read = await readTag(`${registry.host}/acme/app:main`, options({ dockerConfig: config }));
    expectUnknown(read, /asks for a login and docker has none/);
    expect(JSON.stringify(read)).not.toContain('refresh-me');
  });
});

describe('readTag with Bearer tokens', () => {
  it.each(['token', 'access_token'] as const)(
    'trades the login for a pull token (answer field %s) and reuses it for the config blob',
    async (field) => {
      const registry = await start('bearer');
      registry.tokenField = field;
      const { digest, configDigest } = registry.putImage('acme/app', LABELS, 'main');
      const read = await readTag(
        `${registry.host}/acme/app:main`,
        options({ dockerConfig: loginConfig(registry) }),
      );
      expect(read).toEqual({ kind: 'found', digest, configDigest, labels: LABELS, layers: [] });
      const [first, tokenRequest, ...rest] = registry.requests;
      expect(first?.authorization).toBeUndefined();
      const tokenUrl = new URL(tokenRequest?.path ?? '', 'http://x');
      expect(tokenUrl.pathname).toBe('/token');
      expect(tokenUrl.searchParams.get('service')).toBe('fake-registry');
      expect(tokenUrl.searchParams.getAll('scope')).toEqual(['repository:acme/app:pull']);
      expect(tokenRequest?.authorization).toMatch(/^Basic /);
      expect(rest.map((request) => request.path)).toEqual([
        '/v2/acme/app/manifests/main',
        `/v2/acme/app/blobs/${configDigest}`,
      ]);
      const [token] = [...registry.issuedTokens];
      expect(rest.map((request) => request.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
    },
  );

  describe('the login goes to a token realm only over HTTPS, or to an insecure registry’s own host', () => {
    /** A token server on `host` (not the registry's own address), noting what it got. */
    async function foreignTokenServer(host: string): Promise<{ url: string; seen: (string | undefined)[] }> {
      const seen: (string | undefined)[] = [];
      const server = createServer((request, response) => {
        seen.push(request.headers.authorization);
        response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"token":"foreign"}');
      });
      await new Promise<void>((resolve) => server.listen(0, host, resolve));
      closers.push(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => {
              resolve();
            });
          }),
      );
      return { url: `http://${host}:${(server.address() as AddressInfo).port}/token`, seen };
    }

    it.each([
      ['on another host', '127.0.0.2'],
      ['on another port of the registry’s own host', '127.0.0.1'],
    ])('a plain-HTTP realm %s never gets the login: the read is unknown', async (_where, host) => {
      const registry = await start('bearer');
      registry.putImage('acme/app', LABELS, 'main');
      const realm = await foreignTokenServer(host);
      registry.interceptor = (request, response) => {
        if (request.headers.authorization !== undefined) return false;
        registry.json(
          response,
          401,
          { errors: [{ code: 'UNAUTHORIZED' }] },
          {
            'WWW-Authenticate': `Bearer realm="${realm.url}",service="fake-registry"`,
          },
        );
        return true;
      };
      const read = await readTag(
        `${registry.host}/acme/app:main`,
        options({ dockerConfig: loginConfig(registry) }),
      );
      expectUnknown(
        read,
        new RegExp(
          `plain-HTTP token realm ${host.replace(/\./g, '\\.')}:\\d+; the login is sent to a realm over HTTPS only`,
        ),
      );
      expect(realm.seen).toEqual([]);
      expect(JSON.stringify(read)).not.toContain(registry.password);
    });

    it.each([
      ['an HTTPS realm anywhere', 'https://auth.example.com/token', 'https', 'registry.example.com', true],
      ['an HTTPS realm of a plain-HTTP registry', 'https://auth.lan/token', 'http', '10.0.0.5:5000', true],
      [
        'a plain-HTTP realm of an HTTPS registry, same host',
        'http://registry.example.com/token',
        'https',
        'registry.example.com',
        false,
      ],
      [
        'a plain-HTTP realm of an HTTPS registry, other host',
        'http://auth.example.com/token',
        'https',
        'registry.example.com',
        false,
      ],
      [
        'a plain-HTTP realm of a plain-HTTP registry, its very address',
        'http://10.0.0.5:5000/token',
        'http',
        '10.0.0.5:5000',
        true,
      ],
      ['the same, the host in another case', 'http://REG.lan:5000/token', 'http', 'reg.LAN:5000', true],
      ['the same, port 80 named or not', 'http://reg.lan/token', 'http', 'reg.lan:80', true],
      [
        'a plain-HTTP realm of a plain-HTTP registry, same host, another port',
        'http://10.0.0.5:5001/token',
        'http',
        '10.0.0.5:5000',
        false,
      ],
      [
        'a plain-HTTP realm of a plain-HTTP registry, same host, default port',
        'http://10.0.0.5/token',
        'http',
        '10.0.0.5:5000',
        false,
      ],
      [
        'a plain-HTTP realm of a plain-HTTP registry, other host',
        'http://10.0.0.6/token',
        'http',
        '10.0.0.5:5000',
        false,
      ],
      [
        'a plain-HTTP realm before the scheme is known',
        'http://10.0.0.5/token',
        undefined,
        '10.0.0.5:5000',
        false,
      ],
    ] as const)('%s: %s', (_name, realm, scheme, apiHost, allowed) => {
      expect(realmMayReceiveLogin(new URL(realm), scheme, apiHost)).toBe(allowed);
    });
  });

  it('without a login, asks the token server anonymously', async () => {
    const registry = await start('bearer');
    registry.anonymousPull = true;
    const { digest } = registry.putImage('library/busybox', LABELS, 'latest');
    const read = await readTag(`${registry.host}/library/busybox:latest`, options({ labels: false }));
    expect(read).toMatchObject({ kind: 'found', digest });
    expect(registry.requests[1]?.authorization).toBeUndefined();
  });

  it('a missing tag behind a token is missing', async () => {
    const registry = await start('bearer');
    registry.putImage('acme/app', LABELS, 'main');
    const read = await readTag(
      `${registry.host}/acme/app:gone`,
      options({ dockerConfig: loginConfig(registry) }),
    );
    expect(read).toEqual({ kind: 'missing' });
  });

  it('a token server that refuses the login is unknown, without the password in the reason', async () => {
    const registry = await start('bearer');
    const wrong = 'n0t-the-Pa55word';
    const read = await readTag(
      `${registry.host}/acme/app:main`,
      options({ dockerConfig: loginConfig(registry, wrong) }),
    );
    expectUnknown(read, /token server .* refused the login of ci-user: HTTP 401/);
    expect(JSON.stringify(read)).not.toContain(wrong);
  });

  it('a token the registry then refuses is unknown, and the token is not in the reason', async () => {
    const registry = await start('bearer');
    registry.putImage('acme/app', LABELS, 'main');
    let issued = '';
    registry.interceptor = (request, response) => {
      if (request.url?.startsWith('/token') === true) {
        issued = `tok-echo-${Math.random().toString(36).slice(2)}`;
        registry.json(response, 200, { token: issued });
        return true;
      }
      if (request.headers.authorization === undefined) return false;
      // A registry that echoes what it got: the reason must still not show it.
      registry.json(response, 403, {
        errors: [{ code: 'DENIED', message: request.headers.authorization }],
      });
      return true;
    };
    const read = await readTag(
      `${registry.host}/acme/app:main`,
      options({ dockerConfig: loginConfig(registry) }),
    );
    expectUnknown(read, /HTTP 403 \(DENIED\)/);
    expect(issued).not.toBe('');
    expect(JSON.stringify(read)).not.toContain(issued);
    expect(JSON.stringify(read)).not.toContain(registry.password);
  });

  it.each([
    ['no realm', 'Bearer service="x"'],
    ['a realm that is no URL', 'Bearer realm="not a url"'],
    ['a realm that is not HTTP', 'Bearer realm="file:///etc/passwd"'],
    ['an unknown scheme', 'Negotiate abc=='],
  ])('a challenge with %s is unknown', async (_name, challenge) => {
    const registry = await start('none');
    registry.interceptor = (_request, response) => {
      registry.json(response, 401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'WWW-Authenticate': challenge });
      return true;
    };
    expect((await readTag(`${registry.host}/acme/app:main`, options())).kind).toBe('unknown');
    expect(registry.requests).toHaveLength(1);
  });
});

describe('readTag with a credential helper', () => {
  /** A docker-credential-<name> script on a PATH of its own; returns the env to run with. */
  function helperEnv(name: string, script: string): NodeJS.ProcessEnv {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'registry-client-helper-'));
    const file = path.join(bin, `docker-credential-${name}`);
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    return { PATH: `${bin}:${process.env.PATH ?? ''}` };
  }

  /** A helper that answers only for `host` (read from stdin, as docker sends it). */
  function answeringHelper(host: string, answer: string): string {
    return `read server\nif [ "$server" = "${host}" ] && [ "$1" = get ]; then echo '${answer}'; exit 0; fi\necho 'credentials not found in native keychain'\nexit 1`;
  }

  it.each([
    ['credsStore', (helper: string) => ({ credsStore: helper })],
    [
      'credHelpers',
      (helper: string, host: string) => ({ credsStore: 'absent', credHelpers: { [host]: helper } }),
    ],
  ])('the %s helper’s login is used', async (_name, config) => {
    const registry = await start('bearer');
    const { digest } = registry.putImage('acme/app', LABELS, 'main');
    const answer = JSON.stringify({
      ServerURL: registry.host,
      Username: registry.user,
      Secret: registry.password,
    });
    const read = await readTag(
      `${registry.host}/acme/app:main`,
      options({
        dockerConfig: dockerConfig(config('fake', registry.host)),
        env: helperEnv('fake', answeringHelper(registry.host, answer)),
      }),
    );
    expect(read).toMatchObject({ kind: 'found', digest, labels: LABELS });
  });

  it('runs once for all reads of a run that use the same config and registry', async () => {
    const registry = await start('basic');
    registry.putImage('acme/app', LABELS, 'main');
    registry.putImage('acme/app', LABELS, 'feature');
    const calls = path.join(mkdtempSync(path.join(os.tmpdir(), 'helper-calls-')), 'calls');
    const answer = JSON.stringify({
      ServerURL: registry.host,
      Username: registry.user,
      Secret: registry.password,
    });
    const readOptions = options({
      dockerConfig: dockerConfig({ credsStore: 'fake' }),
      env: helperEnv('fake', `echo called >>${calls}\n${answeringHelper(registry.host, answer)}`),
      memory: newReadMemory(),
    });
    const reads = [
      await readTag(`${registry.host}/acme/app:main`, readOptions),
      await readTag(`${registry.host}/acme/app:feature`, readOptions),
    ];
    expect(reads.map((read) => read.kind)).toEqual(['found', 'found']);
    expect(readFileSync(calls, 'utf8')).toBe('called\n');
  });

  it('a helper that failed is asked again by the next read', async () => {
    const registry = await start('basic');
    registry.putImage('acme/app', LABELS, 'main');
    const calls = path.join(mkdtempSync(path.join(os.tmpdir(), 'helper-calls-')), 'calls');
    const readOptions = options({
      dockerConfig: dockerConfig({ credsStore: 'fake' }),
      env: helperEnv('fake', `echo called >>${calls}\necho locked >&2\nexit 3`),
    });
    await readTag(`${registry.host}/acme/app:main`, readOptions);
    await readTag(`${registry.host}/acme/app:main`, readOptions);
    expect(readFileSync(calls, 'utf8')).toBe('called\ncalled\n');
  });

  it('a helper that holds nothing for the registry means anonymous', async () => {
    const registry = await start('bearer');
    registry.anonymousPull = true;
    const { digest } = registry.putImage('acme/app', LABELS, 'main');
    const read = await readTag(
      `${registry.host}/acme/app:main`,
      options({
        dockerConfig: dockerConfig({ credsStore: 'fake' }),
        env: helperEnv('fake', answeringHelper('elsewhere.example', '{}')),
      }),
    );
    expect(read).toMatchObject({ kind: 'found', digest });
    expect(registry.requests[1]?.authorization).toBeUndefined();
  });

  it.each([
    ['fails', 'echo "keychain locked" >&2; exit 3', /docker-credential-fake failed: keychain locked/],
    ['prints no JSON', 'echo hello', /printed no JSON/],
    ['is not on PATH', undefined, /docker-credential-fake is not in any absolute PATH entry/],
  ])('a helper that %s is unknown', async (_name, script, reason) => {
    const registry = await start('bearer');
    const env = script === undefined ? { PATH: '/nonexistent' } : helperEnv('fake', script);
    const read = await readTag(
      `${registry.host}/acme/app:main`,
      options({ dockerConfig: dockerConfig({ credsStore: 'fake' }), env }),
    );
    expectUnknown(read, reason);
    expect(JSON.stringify(read)).not.toContain('idtok-s3cret');
    expect(registry.requests).toEqual([]);
  });
});

describe('readTag: the registries docker reaches', () => {
  it('a proxy does not apply to a loopback registry (Go never proxies loopback)', async () => {
    const registry = await start('none');
    const { digest } = registry.putImage('acme/app', LABELS, 'main');
    const env = { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' };
    expect(await readTag(`${registry.host}/acme/app:main`, options({ env }))).toMatchObject({
      kind: 'found',
      digest,
    });
  });

  it('a plain-HTTP registry that docker does not treat as insecure is unknown (HTTPS fails)', async () => {
    const registry = await start('none');
    registry.putImage('acme/app', LABELS, 'main');
    expectUnknown(
      await readTag(`${registry.host}/acme/app:main`, options({ insecure: false })),
      new RegExp(`https://${registry.host} cannot be reached`),
    );
    expect(registry.requests).toEqual([]);
    expect(registry.notHttp).toBe(1);
  });

  it('an insecure registry is asked over plain HTTP once HTTPS fails, as docker does', async () => {
    const registry = await start('basic');
    const { digest } = registry.putImage('acme/app', LABELS, 'main');
    const memory = newReadMemory();
    const read = (tag: string) =>
      readTag(`${registry.host}/acme/app:${tag}`, options({ dockerConfig: loginConfig(registry), memory }));
    expect(await read('main')).toMatchObject({ kind: 'found', digest });
    expect(await read('other')).toEqual({ kind: 'missing' });
    // The second read of the same reader remembers the scheme: one TLS handshake in all.
    expect(registry.notHttp).toBe(1);
  });

  it('a registry that never answers is unknown once the deadline passes', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
      expectUnknown(
        await readTag(`${host}/acme/app:main`, options({ timeoutMs: 300 })),
        /no answer from 127\.0\.0\.1:\d+ within 300 ms/,
      );
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it.each([
    ['a digest reference', '127.0.0.1:5000/acme/app@sha256:abc'],
    ['an invalid name', '127.0.0.1:5000/Acme App:main'],
    ['an invalid tag', '127.0.0.1:5000/acme/app:-bad'],
  ])('%s is unknown, not thrown', async (_name, reference) => {
    expect((await readTag(reference, options())).kind).toBe('unknown');
  });

  it('a malformed config.json is unknown', async () => {
    const dir = dockerConfig();
    writeFileSync(path.join(dir, 'config.json'), '{ not json');
    expectUnknown(
      await readTag('127.0.0.1:1/acme/app:main', options({ dockerConfig: dir })),
      /config\.json is not valid JSON/,
    );
  });
});

/** An HTTP proxy on 127.0.0.1 that sends every host to 127.0.0.1 and notes what it was asked. */
async function startProxy(): Promise<{ url: string; asked: string[]; logins: (string | undefined)[] }> {
  const asked: string[] = [];
  const logins: (string | undefined)[] = [];
  const proxy = createServer((request, response) => {
    asked.push(`${request.method ?? ''} ${request.url ?? ''}`);
    logins.push(request.headers['proxy-authorization']);
    const target = new URL(request.url ?? '');
    const forward = httpRequest(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.pathname + target.search,
        method: request.method,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(forward);
  });
  const tunnels = new Set<Socket>();
  proxy.on('connect', (request, client: Socket) => {
    tunnels.add(client);
    asked.push(`CONNECT ${request.url ?? ''}`);
    logins.push(request.headers['proxy-authorization']);
    const port = Number((request.url ?? '').split(':').at(-1));
    const upstream = connect(port, '127.0.0.1', () => {
      tunnels.add(upstream);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of tunnels) socket.destroy();
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  });
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, asked, logins };
}

describe('readTag over TLS, through proxies, with identity tokens', () => {
  const certificates = makeCertificates(['registry.test', '127.0.0.1']);

  /** A certs.d folder holding `ca.crt` for `host`. */
  function certsD(host: string): string {
    const root = mkdtempSync(path.join(os.tmpdir(), 'certs-d-'));
    mkdirSync(path.join(root, host));
    writeFileSync(path.join(root, host, 'ca.crt'), certificates.ca);
    return root;
  }

  async function startTls(auth: AuthMode): Promise<FakeRegistry> {
    const registry = await FakeRegistry.start(auth, undefined, undefined, certificates);
    registries.push(registry);
    return registry;
  }

  it('an HTTPS registry whose CA is in certs.d is read; without it, its certificate is refused', async () => {
    const registry = await startTls('bearer');
    const { digest } = registry.putImage('acme/app', LABELS, 'main');
    const reference = `${registry.host}/acme/app:main`;
    const login = loginConfig(registry);
    const trusted = options({ insecure: false, dockerConfig: login, certificates: certsD(registry.host) });
    expect(await readTag(reference, trusted)).toMatchObject({ kind: 'found', digest, labels: LABELS });
    const untrusted = options({ insecure: false, dockerConfig: login, certificates: certsD('other:1') });
    expectUnknown(await readTag(reference, untrusted), /cannot be reached: (SELF_SIGNED|UNABLE_TO_VERIFY)/);
  });

  it('an insecure HTTPS registry is read without verifying its certificate, as docker does', async () => {
    const registry = await startTls('none');
    const { digest } = registry.putImage('acme/app', LABELS, 'main');
    const read = await readTag(`${registry.host}/acme/app:main`, options({ insecure: true }));
    expect(read).toMatchObject({ kind: 'found', digest });
    expect(registry.notHttp).toBe(0);
  });

  it('HTTPS_PROXY: a CONNECT tunnel with the proxy login, TLS to the registry inside it', async () => {
    const registry = await startTls('basic');
    const { digest } = registry.putImage('acme/app', LABELS, 'main');
    const proxy = await startProxy();
    const port = registry.host.split(':')[1] ?? '';
    const host = `registry.test:${port}`;
    const env = { HTTPS_PROXY: proxy.url.replace('//', '//pu:proxy-pass@'), NO_PROXY: 'elsewhere.test' };
    const auth = Buffer.from(`${registry.user}:${registry.password}`).toString('base64');
    const read = await readTag(
      `${host}/acme/app:main`,
      options({
        insecure: false,
        env,
        certificates: certsD(host),
        dockerConfig: dockerConfig({ auths: { [host]: { auth } } }),
      }),
    );
    expect(read).toMatchObject({ kind: 'found', digest });
    expect(proxy.asked.every((line) => line === `CONNECT ${host}`)).toBe(true);
    expect(proxy.logins[0]).toBe(`Basic ${Buffer.from('pu:proxy-pass').toString('base64')}`);
    expect(registry.requests.map((request) => request.path)).toContain('/v2/acme/app/manifests/main');
  });

  it('NO_PROXY keeps a host off the proxy', async () => {
    const proxy = await startProxy();
    const env = { HTTPS_PROXY: proxy.url, NO_PROXY: 'registry.test' };
    const read = await readTag(
      'registry.test:1/acme/app:main',
      options({ insecure: false, env, timeoutMs: 2000 }),
    );
    expectUnknown(read, /registry\.test:1 cannot be reached/);
    expect(proxy.asked).toEqual([]);
  });

  it('HTTP_PROXY: an insecure plain-HTTP registry is asked through the proxy by absolute URL', async () => {
    const registry = await start('basic');
    const { digest } = registry.putImage('acme/app', LABELS, 'main');
    const proxy = await startProxy();
    const host = `registry.test:${registry.host.split(':')[1] ?? ''}`;
    const auth = Buffer.from(`${registry.user}:${registry.password}`).toString('base64');
    const read = await readTag(
      `${host}/acme/app:main`,
      options({
        insecure: true,
        env: { HTTP_PROXY: proxy.url },
        dockerConfig: dockerConfig({ auths: { [host]: { auth } } }),
      }),
    );
    expect(read).toMatchObject({ kind: 'found', digest });
    expect(proxy.asked).toContain(`GET http://${host}/v2/acme/app/manifests/main`);
  });

  it('a proxy that refuses the tunnel is unknown, and the reason holds no proxy password', async () => {
    const refusing = createServer();
    refusing.on('connect', (_request, socket) =>
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'),
    );
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      refusing.closeAllConnections();
      await new Promise((resolve) => refusing.close(resolve));
    });
    const port = (refusing.address() as AddressInfo).port;
    const read = await readTag(
      'registry.test/acme/app:main',
      options({ insecure: false, env: { https_proxy: `http://pu:proxy-pass@127.0.0.1:${port}` } }),
    );
    expectUnknown(read, /answered 407 to CONNECT registry\.test:443/);
    expect(JSON.stringify(read)).not.toContain('proxy-pass');
  });

  it('an identity token is traded at the token server (OAuth, a POSTed form), never in a URL', async () => {
    const registry = await startTls('bearer');
    registry.identityToken = 'refresh-s3cret';
    const { digest } = registry.putImage('acme/app', LABELS, 'main');
    const config = dockerConfig({ auths: { [registry.host]: { identitytoken: 'refresh-s3cret' } } });
    const read = await readTag(
      `${registry.host}/acme/app:main`,
      options({ insecure: false, dockerConfig: config, certificates: certsD(registry.host) }),
    );
    expect(read).toMatchObject({ kind: 'found', digest });
    expect(JSON.stringify(registry.requests)).not.toContain('refresh-s3cret');
    registry.identityToken = 'another';
    const refused = await readTag(
      `${registry.host}/acme/app:other`,
      options({ insecure: false, dockerConfig: config, certificates: certsD(registry.host) }),
    );
    expectUnknown(refused, /the token server .* refused the identity token/);
    expect(JSON.stringify(refused)).not.toContain('refresh-s3cret');
  });
});
