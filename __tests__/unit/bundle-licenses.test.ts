// dist/licenses.txt: the license notices of every package the bundle holds code of.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { bundledPackages, licenseNotices } from '../../scripts/licenses.mjs';

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'bundle-licenses-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A package under `root` with these files besides its package.json. */
function pkg(dir: string, manifest: Record<string, unknown>, files: Record<string, string>): void {
  mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, dir, 'package.json'), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, dir, name), text);
}

/** The metafile of one output holding these input files, with these many bytes of each. */
function metafile(inputs: Record<string, number>): Metafile {
  const entries = Object.entries(inputs).map(([file, bytesInOutput]) => [file, { bytesInOutput }] as const);
  return {
    inputs: {},
    outputs: {
      'dist/action.cjs': { bytes: 1, inputs: Object.fromEntries(entries), imports: [], exports: [] },
    },
  };
}

describe('bundledPackages', () => {
  it('finds each package with code in the output once, innermost node_modules first, sorted', () => {
    pkg('node_modules/zeta', { name: 'zeta', version: '1.0.0', license: 'MIT' }, { LICENSE: 'zeta MIT' });
    pkg(
      'node_modules/@scope/alpha',
      { name: '@scope/alpha', version: '2.0.0', license: 'ISC' },
      {
        'LICENSE.md': 'alpha ISC\r\n',
      },
    );
    pkg(
      'node_modules/zeta/node_modules/@scope/alpha',
      { name: '@scope/alpha', version: '1.5.0', license: 'ISC' },
      {
        'license.txt': 'old alpha',
      },
    );
    pkg(
      'node_modules/hook',
      { name: 'hook', version: '3.0.0', license: { type: 'Apache-2.0' } },
      {
        LICENSE: 'apache text',
        NOTICE: 'hook notice',
      },
    );
    pkg('node_modules/shaken', { name: 'shaken', version: '1.0.0', license: 'MIT' }, {});
    const packages = bundledPackages(
      [
        metafile({
          'src/main.ts': 100,
          'node_modules/zeta/lib/a.js': 10,
          'node_modules/zeta/lib/b.js': 10,
          'node_modules/zeta/node_modules/@scope/alpha/index.js': 5,
          'node_modules/shaken/index.js': 0,
        }),
        metafile({ 'node_modules/@scope/alpha/dist/index.js': 3, 'node_modules/hook/index.js': 7 }),
      ],
      root,
    );
    expect(packages).toEqual([
      {
        name: '@scope/alpha',
        version: '1.5.0',
        license: 'ISC',
        dir: 'node_modules/zeta/node_modules/@scope/alpha',
        text: 'old alpha',
        notice: undefined,
      },
      {
        name: '@scope/alpha',
        version: '2.0.0',
        license: 'ISC',
        dir: 'node_modules/@scope/alpha',
        text: 'alpha ISC',
        notice: undefined,
      },
      {
        name: 'hook',
        version: '3.0.0',
        license: 'Apache-2.0',
        dir: 'node_modules/hook',
        text: 'apache text',
        notice: 'hook notice',
      },
      {
        name: 'zeta',
        version: '1.0.0',
        license: 'MIT',
        dir: 'node_modules/zeta',
        text: 'zeta MIT',
        notice: undefined,
      },
    ]);
  });
});

describe('licenseNotices', () => {
  it('gives each package its name, version, license and license text, in a stable order', () => {
    pkg('node_modules/b', { name: 'b', version: '1.0.0', license: 'MIT' }, { LICENSE: 'b text\n' });
    pkg(
      'node_modules/a',
      { name: 'a', version: '0.1.0', license: 'Apache-2.0' },
      {
        COPYING: 'a text',
        'NOTICE.md': 'a notice',
      },
    );
    const meta = metafile({ 'node_modules/b/index.js': 1, 'node_modules/a/index.js': 1 });
    const text = licenseNotices([meta], root);
    const rule = '='.repeat(80);
    expect(text.split('\n').slice(2)).toEqual([
      rule,
      'a 0.1.0 (Apache-2.0)',
      rule,
      '',
      'a text',
      '',
      'a notice',
      '',
      rule,
      'b 1.0.0 (MIT)',
      rule,
      '',
      'b text',
      '',
    ]);
    expect(licenseNotices([meta], root)).toBe(text);
  });

  it('fails naming every bundled package that has no license file', () => {
    pkg('node_modules/ok', { name: 'ok', version: '1.0.0', license: 'MIT' }, { LICENSE: 'ok' });
    pkg(
      'node_modules/bare',
      { name: 'bare', version: '0.0.1', license: 'MIT' },
      { 'README.md': 'no license here' },
    );
    pkg('node_modules/@x/none', { name: '@x/none', version: '2.0.0' }, {});
    const meta = metafile({
      'node_modules/ok/a.js': 1,
      'node_modules/bare/a.js': 1,
      'node_modules/@x/none/a.js': 1,
    });
    expect(() => licenseNotices([meta], root)).toThrow(
      'No license file (LICENSE, COPYING...) in these bundled packages: @x/none 2.0.0 (UNKNOWN) in node_modules/@x/none, bare 0.0.1 (MIT) in node_modules/bare',
    );
  });

  it('has a license text for every package the action bundles', async () => {
    const result = await build({
      entryPoints: ['src/index.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      outfile: 'bundle-licenses-test.js',
      metafile: true,
      logLevel: 'silent',
    });
    const packages = bundledPackages([result.metafile]);
    const names = packages.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['@actions/core', '@actions/github', 'semver']));
    const text = licenseNotices([result.metafile]);
    for (const p of packages) expect(text).toContain(`${p.name} ${p.version} (${p.license})`);
  });
});
