import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTag, type ReadTagOptions } from '../../src/registry/read-tag.js';
import { loadEnvironment, userDockerConfig } from './environment.js';
import { docker, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const MARKER = 'e2e.registry-client.marker';

/** What `docker buildx imagetools inspect` says about a reference: the answer to match. */
function imagetools(
  reference: string,
  dockerConfig: string,
): { digest: string; labels: unknown; configDigest: string | undefined } {
  const env = { DOCKER_CONFIG: dockerConfig };
  interface Config {
    config?: { Labels?: Record<string, string> | null };
  }
  const inspected = JSON.parse(
    docker(['buildx', 'imagetools', 'inspect', '--format', '{{json .}}', reference], env),
  ) as { manifest: { digest: string }; image: Config | Record<string, Config> };
  // An index gives one config per platform: the first one's labels.
  const image: Config | undefined =
    'config' in inspected.image
      ? inspected.image
      : Object.values(inspected.image as Record<string, Config>)[0];
  const remote = { digest: inspected.manifest.digest, labels: image?.config?.Labels ?? {} };
  const raw = JSON.parse(docker(['buildx', 'imagetools', 'inspect', '--raw', reference], env)) as {
    config?: { digest?: string };
  };
  return { digest: remote.digest, labels: remote.labels, configDigest: raw.config?.digest };
}

describe('readTag against the real registries', () => {
  const dockerConfig = userDockerConfig(environment, true);
  const repository = uniqueRepository('registry-client');
  const reference = `${environment.privateRegistry}/${repository}:main`;
  const marker = Math.random().toString(36).slice(2);
  const options = (overrides: Partial<ReadTagOptions> = {}): ReadTagOptions => ({
    dockerConfig,
    insecure: true,
    timeoutMs: 10000,
    labels: true,
    ...overrides,
  });

  beforeAll(() => {
    docker(
      ['login', '--username', environment.user, '--password-stdin', environment.privateRegistry],
      { DOCKER_CONFIG: dockerConfig },
      environment.password,
    );
    const workspace = makeWorkspace({
      Dockerfile: `FROM ${environment.baseImage}\nCOPY hello.txt /hello.txt\n`,
      'hello.txt': `${marker}\n`,
    });
    docker(['build', '--quiet', '--label', `${MARKER}=${marker}`, '--tag', reference, workspace.dir], {
      DOCKER_CONFIG: dockerConfig,
    });
    docker(['push', '--quiet', reference], { DOCKER_CONFIG: dockerConfig });
  });

  afterAll(() => {
    docker(['image', 'rm', reference]);
  });

  it('a pushed image: the digest, config digest and labels imagetools reports', async () => {
    const expected = imagetools(reference, dockerConfig);
    expect(expected.labels).toMatchObject({ [MARKER]: marker });
    const { content, layers, ...read } = (await readTag(reference, options())) as {
      content?: string;
      layers?: { createdBy?: string; size: number }[];
    };
    // The layers (for the size comparison) come with a single image's config, the COPY last.
    if (process.env.BPA_LEG !== 'modern-containerd') expect(layers).toHaveLength(2);
    if (layers !== undefined) expect(layers.at(-1)?.createdBy).toMatch(/^COPY hello\.txt /);
    expect(read).toEqual({
      kind: 'found',
      digest: expected.digest,
      configDigest: expected.configDigest,
      labels: expected.labels,
    });
    // The content fingerprint (layers and config) is read from a single image's config; the
    // containerd image store pushes an index, which has none.
    if (process.env.BPA_LEG === 'modern-containerd') expect(content).toBeUndefined();
    else expect(content).toContain(marker);
    expect(await readTag(reference, options({ labels: false }))).toMatchObject({
      kind: 'found',
      digest: expected.digest,
      configDigest: expected.configDigest,
      labels: undefined,
    });
  });

  it('the public base image, read anonymously, is what imagetools reports', async () => {
    const anonymous = userDockerConfig(environment, true);
    const expected = imagetools(environment.baseImage, anonymous);
    const read = await readTag(environment.baseImage, options({ dockerConfig: anonymous }));
    expect(read).toMatchObject({ kind: 'found', digest: expected.digest, labels: expected.labels });
  });

  it.each([
    ['a missing tag', () => `${environment.privateRegistry}/${repository}:no-such-tag`],
    ['a missing repository', () => `${environment.privateRegistry}/${uniqueRepository('never-pushed')}:main`],
  ])('%s is missing', async (_name, missing) => {
    expect(await readTag(missing(), options())).toEqual({ kind: 'missing' });
  });

  it.each([
    [
      'a wrong password',
      {
        [environment.privateRegistry]: {
          auth: Buffer.from(`${environment.user}:wrong-pass-e2e`).toString('base64'),
        },
      },
    ],
    ['no login', {}],
  ])('with %s the private tag is unknown, never found or missing', async (_name, auths) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bpa-registry-client-'));
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths }));
    const read = await readTag(reference, options({ dockerConfig: dir }));
    expect(read.kind).toBe('unknown');
    expect(JSON.stringify(read)).not.toContain('wrong-pass-e2e');
  });

  it('a plain-HTTP registry not treated as insecure is unknown', async () => {
    expect((await readTag(reference, options({ insecure: false }))).kind).toBe('unknown');
  });
});
