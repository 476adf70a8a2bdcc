import {
  parseBuildFlagInputs,
  wantsAttestations,
  type BuildFlagInputName,
} from '../../src/inputs/build-flag-inputs.js';
import { InputError } from '../../src/shared/errors.js';

const WD = '/ws/app';
const EMPTY: Record<BuildFlagInputName, string> = {
  ssh: '',
  'no-cache': '',
  'no-cache-filters': '',
  pull: '',
  'build-contexts': '',
  network: '',
  'add-hosts': '',
  'shm-size': '',
  ulimit: '',
  provenance: '',
  sbom: '',
  annotations: '',
};

const parse = (overrides: Partial<typeof EMPTY>) => parseBuildFlagInputs({ ...EMPTY, ...overrides }, WD);

describe('parseBuildFlagInputs', () => {
  it('empty inputs: nothing changes the build', () => {
    expect(parse({})).toEqual({
      ssh: [],
      noCache: false,
      noCacheFilters: [],
      pull: false,
      buildContexts: [],
      network: undefined,
      addHosts: [],
      shmSize: undefined,
      ulimits: [],
      provenance: undefined,
      sbom: undefined,
      annotations: [],
    });
  });

  it.each<[Partial<typeof EMPTY>, Record<string, unknown>]>([
    [{ ssh: 'default' }, { ssh: ['default'] }],
    [
      { ssh: 'default\ngithub=keys/id_ed25519,/abs/other' },
      { ssh: ['default', 'github=/ws/app/keys/id_ed25519,/abs/other'] },
    ],
    [{ 'no-cache': 'true' }, { noCache: true }],
    [{ 'no-cache': 'False' }, { noCache: false }],
    [{ 'no-cache-filters': 'deps, test\nbuild' }, { noCacheFilters: ['deps', 'test', 'build'] }],
    [{ pull: 'TRUE' }, { pull: true }],
    [
      {
        'build-contexts':
          'shared=../shared\nalpine=docker-image://alpine:3.20\ndocker.io/library/python:3.12=docker-image://mirror/python:3.12',
      },
      {
        buildContexts: [
          'shared=../shared',
          'alpine=docker-image://alpine:3.20',
          'docker.io/library/python:3.12=docker-image://mirror/python:3.12',
        ],
      },
    ],
    [{ network: ' host ' }, { network: 'host' }],
    [{ network: 'none' }, { network: 'none' }],
    [
      { 'add-hosts': 'db:10.0.0.5, cache:::1\nhost.docker.internal:host-gateway' },
      { addHosts: ['db:10.0.0.5', 'cache:::1', 'host.docker.internal:host-gateway'] },
    ],
    [{ 'shm-size': '2g' }, { shmSize: '2g' }],
    [{ 'shm-size': '512MB' }, { shmSize: '512MB' }],
    [{ 'shm-size': '1048576' }, { shmSize: '1048576' }],
    [{ ulimit: 'nofile=1024:2048\nnproc=-1' }, { ulimits: ['nofile=1024:2048', 'nproc=-1'] }],
    [{ provenance: 'true' }, { provenance: 'true' }],
    [{ provenance: 'False' }, { provenance: 'false' }],
    [{ provenance: 'mode=max' }, { provenance: 'mode=max' }],
    [{ sbom: 'generator=127.0.0.1:5000/sbom-gen:1' }, { sbom: 'generator=127.0.0.1:5000/sbom-gen:1' }],
    [
      {
        annotations:
          'org.opencontainers.image.description=My app, v2\nindex:org.opencontainers.image.vendor=Acme\nmanifest[linux/amd64],index:a.b=c',
      },
      {
        annotations: [
          'org.opencontainers.image.description=My app, v2',
          'index:org.opencontainers.image.vendor=Acme',
          'manifest[linux/amd64],index:a.b=c',
        ],
      },
    ],
  ])('%j', (overrides, expected) => {
    expect(parse(overrides)).toMatchObject(expected);
  });

  it.each<[Partial<typeof EMPTY>, BuildFlagInputName, string]>([
    [{ ssh: 'my key' }, 'ssh', 'is not `default` or id=path'],
    [{ ssh: 'gh=' }, 'ssh', 'has an empty path'],
    [{ 'no-cache': 'yes' }, 'no-cache', '"yes" is not a boolean'],
    [{ 'no-cache-filters': '--push' }, 'no-cache-filters', 'is not a build stage name'],
    [{ pull: 'always' }, 'pull', '"always" is not a boolean'],
    [{ 'build-contexts': 'shared' }, 'build-contexts', 'is not name=path-or-image'],
    [{ 'build-contexts': 'a=--push' }, 'build-contexts', 'is not name=path-or-image'],
    [{ network: 'host --privileged' }, 'network', 'is not a network mode'],
    [{ 'add-hosts': 'db=10.0.0.5' }, 'add-hosts', 'is not host:ip'],
    [{ 'add-hosts': 'db:evil host' }, 'add-hosts', 'is not host:ip'],
    [{ 'shm-size': 'lots' }, 'shm-size', 'is not a size'],
    [{ ulimit: 'nofile' }, 'ulimit', 'is not name=soft[:hard]'],
    [{ provenance: 'max' }, 'provenance', 'is not true, false or key=value'],
    [{ sbom: 'generator=a b' }, 'sbom', 'is not true, false or key=value'],
    [{ annotations: 'just text' }, 'annotations', 'is not key=value'],
  ])('%j fails naming `%s`', (overrides, input, message) => {
    let thrown: unknown;
    try {
      parse(overrides);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).input).toBe(input);
    expect((thrown as InputError).message).toContain(message);
  });
});

describe('wantsAttestations', () => {
  it.each<[string | undefined, string | undefined, boolean]>([
    [undefined, undefined, false],
    ['false', 'false', false],
    ['true', undefined, true],
    ['mode=max', 'false', true],
    [undefined, 'generator=img', true],
  ])('provenance %j, sbom %j → %j', (provenance, sbom, wanted) => {
    expect(wantsAttestations({ provenance, sbom })).toBe(wanted);
  });
});
