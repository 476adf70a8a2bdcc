import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { userDockerConfig } from '../../src/execute/job-docker-config.js';
import { type CliConfig, parseCliConfig, readCliConfig } from '../../src/docker/cli-config.js';

const DEFAULTS: CliConfig = { currentContext: undefined, pluginExtraDirs: [], hasAliases: false };

describe('userDockerConfig', () => {
  it.each([
    ['DOCKER_CONFIG wins', { DOCKER_CONFIG: '/job/docker', HOME: '/home/runner' }, '/job/docker'],
    ['DOCKER_CONFIG unset: HOME/.docker', { HOME: '/home/runner' }, '/home/runner/.docker'],
    ['DOCKER_CONFIG empty: as unset', { DOCKER_CONFIG: '', HOME: '/home/runner' }, '/home/runner/.docker'],
    ['HOME unset: the account home', {}, path.join(os.homedir(), '.docker')],
  ])('%s', (_label, env, expected) => {
    expect(userDockerConfig(env)).toBe(expected);
  });
});

describe('parseCliConfig', () => {
  it.each<[string, string, CliConfig | undefined]>([
    ['empty object', '{}', DEFAULTS],
    ['logins only', '{"auths":{"ghcr.io":{"auth":"eDp5"}}}', DEFAULTS],
    ['a context', '{"currentContext":"colima"}', { ...DEFAULTS, currentContext: 'colima' }],
    [
      'Go matches field names case-insensitively',
      '{"CurrentContext":"colima"}',
      { ...DEFAULTS, currentContext: 'colima' },
    ],
    ['null is absent', '{"currentContext":null,"cliPluginsExtraDirs":null,"aliases":null}', DEFAULTS],
    [
      'extra plugin folders',
      '{"cliPluginsExtraDirs":["/a","b"]}',
      { ...DEFAULTS, pluginExtraDirs: ['/a', 'b'] },
    ],
    [
      'aliases (docker buildx install)',
      '{"aliases":{"builder":"buildx"}}',
      { ...DEFAULTS, hasAliases: true },
    ],
    ['empty aliases', '{"aliases":{}}', DEFAULTS],
    ['not JSON', '{"currentContext":', undefined],
    ['not an object', '["x"]', undefined],
    ['context of another type', '{"currentContext":3}', undefined],
    ['extra folders of another type', '{"cliPluginsExtraDirs":"/a"}', undefined],
    ['extra folders holding a number', '{"cliPluginsExtraDirs":["/a",1]}', undefined],
    ['aliases of another type', '{"aliases":["builder"]}', undefined],
    ['two spellings of one field', '{"currentContext":"a","currentcontext":"b"}', undefined],
  ])('%s', (_label, text, expected) => {
    expect(parseCliConfig(text)).toEqual(expected);
  });
});

describe('readCliConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cli-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('no config.json: the CLI defaults', () => {
    expect(readCliConfig(dir)).toEqual(DEFAULTS);
  });

  it('reads config.json', async () => {
    await writeFile(path.join(dir, 'config.json'), '{"cliPluginsExtraDirs":["/opt/plugins"]}');
    expect(readCliConfig(dir)).toEqual({ ...DEFAULTS, pluginExtraDirs: ['/opt/plugins'] });
  });

  it('a config.json that cannot be read (a folder): undefined', async () => {
    await mkdir(path.join(dir, 'config.json'));
    expect(readCliConfig(dir)).toBeUndefined();
  });
});
