import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildxPluginPresent, pluginDirs } from '../../src/docker/buildx-plugin.js';
import { isExecutableFile, isOnPath } from '../../src/docker/executable.js';

describe('pluginDirs: the docker CLI search order', () => {
  it('extra folders from config.json, then the config folder, then the system folders', () => {
    expect(pluginDirs('/home/me/.docker', ['/opt/a', 'rel/b'])).toEqual([
      '/opt/a',
      'rel/b',
      '/home/me/.docker/cli-plugins',
      '/usr/local/lib/docker/cli-plugins',
      '/usr/local/libexec/docker/cli-plugins',
      '/usr/lib/docker/cli-plugins',
      '/usr/libexec/docker/cli-plugins',
    ]);
  });
});

/** Folders standing for: an extra folder, the config folder's cli-plugins, and one system folder. */
describe('buildxPluginPresent on real folders', () => {
  let root: string;
  let extra: string;
  let user: string;
  let system: string;
  const dirs = (): string[] => [extra, user, system];

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'buildx-plugin-'));
    [extra, user, system] = ['extra', 'user', 'system'].map((name) => path.join(root, name)) as [
      string,
      string,
      string,
    ];
    await Promise.all([mkdir(extra), mkdir(user), mkdir(system)]);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function plugin(dir: string, mode: number): Promise<string> {
    const file = path.join(dir, 'docker-buildx');
    await writeFile(file, '#!/bin/sh\n');
    await chmod(file, mode);
    return file;
  }

  it('no candidate anywhere: false', async () => {
    await writeFile(path.join(user, 'docker-compose'), '');
    expect(await buildxPluginPresent(dirs())).toBe(false);
  });

  it('folders that do not exist, or are files, hold nothing: false', async () => {
    await writeFile(path.join(root, 'a-file'), '');
    expect(await buildxPluginPresent([path.join(root, 'missing'), path.join(root, 'a-file')])).toBe(false);
  });

  it.each([
    ['an executable file in the config folder', 'user', 0o755],
    ['an executable file in an extra folder', 'extra', 0o700],
    ['an executable file in a system folder', 'system', 0o755],
    ['executable by its owner only', 'user', 0o744],
  ])('%s: true', async (_label, where, mode) => {
    await plugin({ extra, user, system }[where] ?? '', mode);
    expect(await buildxPluginPresent(dirs())).toBe(true);
  });

  it('a symlink to an executable counts', async () => {
    const target = await plugin(root, 0o755);
    await symlink(target, path.join(user, 'docker-buildx'));
    expect(await buildxPluginPresent(dirs())).toBe(true);
  });

  it.each([
    ['a file without an execute bit', async () => plugin(user, 0o644)],
    ['a broken symlink', async () => symlink(path.join(root, 'gone'), path.join(user, 'docker-buildx'))],
    [
      'a symlink to a folder',
      async () => {
        await mkdir(path.join(root, 'folder'));
        await symlink(path.join(root, 'folder'), path.join(user, 'docker-buildx'));
      },
    ],
  ])('%s as the first candidate: unsure (undefined)', async (_label, make) => {
    await make();
    expect(await buildxPluginPresent(dirs())).toBeUndefined();
  });

  it('the first candidate decides: a non-executable one in an extra folder shadows a good one after it', async () => {
    await plugin(extra, 0o644);
    await plugin(user, 0o755);
    expect(await buildxPluginPresent(dirs())).toBeUndefined();
  });

  it('a good first candidate is not spoiled by a bad one after it', async () => {
    await plugin(user, 0o755);
    await plugin(system, 0o644);
    expect(await buildxPluginPresent(dirs())).toBe(true);
  });

  it('a folder named docker-buildx is no candidate: the CLI skips it and looks further', async () => {
    await mkdir(path.join(extra, 'docker-buildx'));
    expect(await buildxPluginPresent(dirs())).toBe(false);
    await plugin(system, 0o755);
    expect(await buildxPluginPresent(dirs())).toBe(true);
  });

  it('a plugin folder that cannot be listed (a symlink loop): unsure', async () => {
    await symlink(path.join(root, 'loop'), path.join(root, 'loop'));
    expect(await buildxPluginPresent([path.join(root, 'loop'), user])).toBeUndefined();
  });
});

describe('isExecutableFile and isOnPath', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'on-path-'));
    await mkdir(path.join(root, 'bin'));
    await mkdir(path.join(root, 'other'));
    await writeFile(path.join(root, 'bin', 'docker'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(path.join(root, 'other', 'docker'), '', { mode: 0o644 });
    await mkdir(path.join(root, 'other', 'folder'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['an executable file', 'bin/docker', true],
    ['a file without an execute bit', 'other/docker', false],
    ['a folder', 'other/folder', false],
    ['nothing', 'bin/missing', false],
  ])('isExecutableFile: %s', async (_label, file, expected) => {
    expect(await isExecutableFile(path.join(root, file))).toBe(expected);
  });

  it.each([
    ['found in the second entry', (r: string) => `${r}/other:${r}/bin`, true],
    ['only a non-executable one', (r: string) => `${r}/other`, false],
    ['empty PATH', () => '', false],
    ['unset PATH', () => undefined, false],
  ])('isOnPath: %s', async (_label, searchPath, expected) => {
    expect(await isOnPath('docker', searchPath(root))).toBe(expected);
  });
});
