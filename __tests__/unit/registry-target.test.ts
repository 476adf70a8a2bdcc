import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registryTls } from '../../src/registry/custom-certificates.js';
import { rootCertificates } from 'node:tls';
import { answerHeaders } from '../../src/registry/http-request.js';
import { isImage, parseManifest, readConfigBlob, type Descriptor } from '../../src/registry/manifest.js';
import { saysMissing } from '../../src/registry/registry-errors.js';
import { registryTarget } from '../../src/registry/target.js';
import { redact } from '../../src/registry/uncertain.js';

const HUB_HOSTS = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

describe('registryTarget', () => {
  it.each([
    ['127.0.0.1:5000/acme/app:main', '127.0.0.1:5000', 'acme/app', 'main', '127.0.0.1:5000'],
    ['ghcr.io/acme/app:feature-a', 'ghcr.io', 'acme/app', 'feature-a', 'ghcr.io'],
    ['localhost/app:v1.2.3', 'localhost', 'app', 'v1.2.3', 'localhost'],
    ['[::1]:5000/app:x', '[::1]:5000', 'app', 'x', '[::1]:5000'],
    ['reg.lan:5000/a/b/c', 'reg.lan:5000', 'a/b/c', 'latest', 'reg.lan:5000'],
    ['acme/app:main', 'registry-1.docker.io', 'acme/app', 'main', 'https://index.docker.io/v1/'],
    ['busybox:1.36', 'registry-1.docker.io', 'library/busybox', '1.36', 'https://index.docker.io/v1/'],
    [
      'docker.io/library/busybox:1',
      'registry-1.docker.io',
      'library/busybox',
      '1',
      'https://index.docker.io/v1/',
    ],
    [
      'index.docker.io/busybox:1',
      'registry-1.docker.io',
      'library/busybox',
      '1',
      'https://index.docker.io/v1/',
    ],
  ])('%s', (reference, apiHost, repository, tag, credentialKey) => {
    expect(registryTarget(reference)).toMatchObject({ apiHost, repository, tag, credentialKey });
  });

  it('Docker Hub certificates may be under any of its names', () => {
    expect(registryTarget('acme/app:main').certificateHosts.sort()).toEqual(HUB_HOSTS);
    expect(registryTarget('reg.lan:5000/app:x').certificateHosts).toEqual(['reg.lan:5000']);
  });

  it.each(['reg.lan/app@sha256:abc', 'reg.lan/App:x', 'reg.lan/app:', 'reg.lan/app:-x', ''])(
    '%j throws',
    (reference) => {
      expect(() => registryTarget(reference)).toThrow();
    },
  );
});

describe('registryTls (certs.d as docker reads it)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'certs-d-'));
  const folder = (host: string, files: Record<string, string>): void => {
    mkdirSync(path.join(root, host));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, host, name), text);
  };
  folder('reg.lan:5000', { 'ca.crt': 'CA', 'more.crt': 'CA2', 'client.cert': 'CERT', 'client.key': 'KEY' });
  folder('half.lan', { 'client.cert': 'CERT' });
  folder('empty.lan', {});

  it.each([
    ['no folder: the system', ['reg.lan:5001', 'reg.lan'], false, {}],
    ['no folder, insecure: no verification', ['reg.lan'], true, { rejectUnauthorized: false }],
    ['an empty folder', ['empty.lan'], false, {}],
    [
      'every *.crt added to the system CAs, the client pair',
      ['reg.lan:5000'],
      false,
      { ca: [...rootCertificates, 'CA', 'CA2'], cert: 'CERT', key: 'KEY' },
    ],
  ])('%s', (_name, hosts, insecure, expected) => {
    expect(registryTls(hosts, insecure, root)).toEqual(expected);
  });

  it('a client certificate without its key is an error naming both', () => {
    expect(() => registryTls(['half.lan'], false, root)).toThrow(/client\.cert has no client\.key beside it/);
  });
});

const digest = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const entry = (
  n: number,
  platform?: [string, string],
  annotations: Record<string, unknown> = {},
): Descriptor => ({
  digest: digest(n),
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  platform: platform === undefined ? undefined : { os: platform[0], architecture: platform[1] },
  annotations,
});

describe('isImage', () => {
  it.each([
    ['the first image', [entry(1, ['linux', 'amd64']), entry(2, ['linux', 'arm64'])], 1],
    ['after an attestation by platform', [entry(1, ['unknown', 'unknown']), entry(2, ['linux', 'arm64'])], 2],
    [
      'after an attestation by annotation',
      [entry(1, ['linux', 'amd64'], { 'vnd.docker.reference.type': 'attestation-manifest' }), entry(2)],
      2,
    ],
    ['an entry without a platform', [entry(3)], 3],
    ['none when only attestations', [entry(1, ['unknown', 'unknown'])], undefined],
    ['none in an empty index', [], undefined],
  ])('%s', (_name, manifests, expected) => {
    expect(manifests.find(isImage)?.digest).toBe(expected === undefined ? undefined : digest(expected));
  });
});

describe('parseManifest', () => {
  const bytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
  it.each([
    [
      'an OCI manifest by its mediaType',
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: digest(1) } },
      null,
      'image',
    ],
    [
      'a Docker manifest by Content-Type',
      { config: { digest: digest(1) } },
      'application/vnd.docker.distribution.manifest.v2+json; charset=utf-8',
      'image',
    ],
    ['an OCI index', { mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }, null, 'index'],
    [
      'a Docker list by Content-Type',
      { manifests: [{ digest: digest(2) }] },
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'index',
    ],
  ])('%s', (_name, body, contentType, kind) => {
    expect(parseManifest(bytes(body), contentType).kind).toBe(kind);
  });

  it.each([
    ['no type at all', { config: { digest: digest(1) } }, null],
    ['schema 1', { schemaVersion: 1 }, 'application/vnd.docker.distribution.manifest.v1+prettyjws'],
    ['an index without manifests', { mediaType: 'application/vnd.oci.image.index.v1+json' }, null],
    [
      'a bad config digest',
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: 'nope' } },
      null,
    ],
    ['an array', [], 'application/vnd.oci.image.manifest.v1+json'],
  ])('%s throws', (_name, body, contentType) => {
    expect(() => parseManifest(bytes(body), contentType)).toThrow();
  });
});

describe('readConfigBlob', () => {
  const bytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
  it.each([
    [{ config: { Labels: { a: 'b' } } }, { a: 'b' }],
    [{ config: { Labels: null } }, {}],
    [{ config: {} }, {}],
    [{}, {}],
  ])('%j → %j', (config, labels) => {
    expect(readConfigBlob(bytes(config)).labels).toEqual(labels);
  });

  it('reads the content beside the labels: the layers and the run config, not the cache record', () => {
    const blob = (cache: string) => ({
      os: 'linux',
      architecture: 'amd64',
      config: { Cmd: ['node'], Labels: { a: 'b' } },
      rootfs: { type: 'layers', diff_ids: ['sha256:aa'] },
      'moby.buildkit.cache.v0': cache,
    });
    const { content } = readConfigBlob(bytes(blob('one')));
    expect(content).toBeDefined();
    expect(readConfigBlob(bytes(blob('two'))).content).toBe(content);
    expect(readConfigBlob(bytes({ ...blob('one'), config: { Cmd: ['sh'] } })).content).not.toBe(content);
    expect(readConfigBlob(bytes({ config: {} })).content).toBeUndefined();
  });

  it.each([[{ config: { Labels: { a: 1 } } }], [{ config: { Labels: 'a=b' } }]])('%j throws', (config) => {
    expect(() => readConfigBlob(bytes(config))).toThrow();
  });
});

describe('saysMissing', () => {
  const body = (code?: string): Uint8Array =>
    Buffer.from(code === undefined ? '' : JSON.stringify({ errors: [{ code }] }));
  const registryHeaders = new Headers({ 'Docker-Distribution-Api-Version': 'registry/2.0' });
  it.each([
    [404, new Headers(), body('MANIFEST_UNKNOWN'), true],
    [404, new Headers(), body('NAME_UNKNOWN'), true],
    [400, new Headers(), body('MANIFEST_UNKNOWN'), true],
    [404, registryHeaders, body(), true],
    [404, new Headers(), body(), false],
    [404, new Headers(), body('NOT_FOUND'), false],
    [401, registryHeaders, body('NAME_UNKNOWN'), false],
    [403, registryHeaders, body('MANIFEST_UNKNOWN'), false],
    [500, registryHeaders, body('MANIFEST_UNKNOWN'), false],
    [200, registryHeaders, body(), false],
  ])('HTTP %s %#', (status, headers, answer, missing) => {
    expect(saysMissing(status, headers, answer)).toBe(missing);
  });
});

describe('redact', () => {
  it('hides every secret, the longer first', () => {
    expect(redact('user pw pw-long and pw', ['pw', 'pw-long', ''])).toBe('user *** *** and ***');
  });
});

describe('answerHeaders', () => {
  const headers = answerHeaders({
    'x-repeated': ['Bearer realm="https://auth.example/token"', 'Basic realm="x"'],
    'docker-content-digest': 'sha256:abc',
  });
  it.each<[string, string | null]>([
    ['Docker-Content-Digest', 'sha256:abc'],
    ['docker-content-digest', 'sha256:abc'],
    ['X-Repeated', 'Bearer realm="https://auth.example/token", Basic realm="x"'],
    ['Location', null],
  ])('%s', (name, value) => {
    expect(headers.get(name)).toBe(value);
  });
});
