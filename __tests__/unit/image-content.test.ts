import { contentOfConfigBlob, contentOfInspect, imageContent } from '../../src/docker/image-content.js';

const LAYERS = ['sha256:' + 'a'.repeat(64), 'sha256:' + 'b'.repeat(64)];
const RUN = {
  Env: ['PATH=/usr/bin', 'NODE_ENV=production'],
  Cmd: ['node', 'server.js'],
  WorkingDir: '/app',
  Labels: { 'org.opencontainers.image.revision': 'abc' },
  ExposedPorts: { '8080/tcp': {} },
};
const base: Parameters<typeof imageContent>[0] = {
  os: 'linux',
  architecture: 'amd64',
  variant: undefined,
  config: RUN,
  layers: LAYERS,
};
const reference = imageContent(base);

describe('imageContent', () => {
  it.each<[string, Partial<typeof base>]>([
    ['another os', { os: 'windows' }],
    ['another architecture', { architecture: 'arm64' }],
    ['a variant', { variant: 'v8' }],
    ['another layer', { layers: [LAYERS[0] ?? '', 'sha256:' + 'c'.repeat(64)] }],
    ['one layer fewer', { layers: LAYERS.slice(0, 1) }],
    ['the layers in another order', { layers: [...LAYERS].reverse() }],
    ['another Env', { config: { ...RUN, Env: ['PATH=/usr/bin'] } }],
    ['another Cmd', { config: { ...RUN, Cmd: ['sh'] } }],
    ['an Entrypoint', { config: { ...RUN, Entrypoint: ['tini', '--'] } }],
    ['another WorkingDir', { config: { ...RUN, WorkingDir: '/srv' } }],
    ['a User', { config: { ...RUN, User: 'node' } }],
    ['another label', { config: { ...RUN, Labels: { 'org.opencontainers.image.revision': 'def' } } }],
    ['another port', { config: { ...RUN, ExposedPorts: { '9090/tcp': {} } } }],
    ['a volume', { config: { ...RUN, Volumes: { '/data': {} } } }],
    ['a StopSignal', { config: { ...RUN, StopSignal: 'SIGINT' } }],
    ['a Shell', { config: { ...RUN, Shell: ['/bin/bash', '-c'] } }],
    ['a Healthcheck', { config: { ...RUN, Healthcheck: { Test: ['CMD', 'true'] } } }],
    ['an OnBuild', { config: { ...RUN, OnBuild: ['RUN true'] } }],
  ])('%s is other content', (_name, change) => {
    expect(imageContent({ ...base, ...change })).not.toBe(reference);
  });

  it.each<[string, Partial<typeof base>]>([
    [
      'null, empty and absent fields',
      { config: { ...RUN, Entrypoint: null, Volumes: {}, OnBuild: [], User: '' } },
    ],
    [
      'labels and ports in another key order',
      { config: { ...RUN, ExposedPorts: { '8080/tcp': {} }, Labels: { ...RUN.Labels } } },
    ],
    [
      'fields the container does not run with',
      { config: { ...RUN, Hostname: 'x', Image: 'sha256:1', ArgsEscaped: true } },
    ],
    ['an empty variant', { variant: '' }],
  ])('%s are the same content', (_name, change) => {
    expect(imageContent({ ...base, ...change })).toBe(reference);
  });

  it('counts maps by their entries, not their key order', () => {
    const labels = { a: '1', b: '2' };
    const reordered = { b: '2', a: '1' };
    expect(imageContent({ ...base, config: { ...RUN, Labels: labels } })).toBe(
      imageContent({ ...base, config: { ...RUN, Labels: reordered } }),
    );
  });

  it.each([[undefined], [null], ['sha256:a'], [[1, 2]]])('layers %j are no content', (layers) => {
    expect(imageContent({ ...base, layers })).toBeUndefined();
  });
});

describe('a config blob and docker image inspect of the same image', () => {
  const blob = (cache: string) => ({
    architecture: 'amd64',
    os: 'linux',
    config: { ...RUN, ArgsEscaped: true },
    created: '2024-01-01T00:00:00Z',
    history: [{ created_by: 'RUN npm ci' }],
    rootfs: { type: 'layers', diff_ids: LAYERS },
    'moby.buildkit.cache.v0': cache,
  });
  const inspect = {
    Id: 'sha256:' + 'f'.repeat(64),
    Architecture: 'amd64',
    Os: 'linux',
    Config: {
      Hostname: '',
      Domainname: '',
      User: '',
      Entrypoint: null,
      OnBuild: null,
      Volumes: null,
      ...RUN,
    },
    RootFS: { Type: 'layers', Layers: LAYERS },
    Size: 1234,
  };

  it('have one content, whatever inline-cache record the blob carries', () => {
    const local = contentOfInspect(JSON.stringify(inspect));
    expect(local).toBeDefined();
    expect(contentOfConfigBlob(blob('record of one build'))).toBe(local);
    expect(contentOfConfigBlob(blob('record of another build'))).toBe(local);
  });

  it('differ when a layer does', () => {
    const other = { ...inspect, RootFS: { Type: 'layers', Layers: [LAYERS[0]] } };
    expect(contentOfConfigBlob(blob('x'))).not.toBe(contentOfInspect(JSON.stringify(other)));
  });

  it.each([['not json'], ['null'], ['[]'], ['{}']])('inspect output %j has no content', (stdout) => {
    expect(contentOfInspect(stdout)).toBeUndefined();
  });

  it.each([[null], ['x'], [{}], [{ rootfs: {} }]])('a blob %j has no content', (value) => {
    expect(contentOfConfigBlob(value)).toBeUndefined();
  });
});
