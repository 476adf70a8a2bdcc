// The loader's code cache, on small CommonJS bundles in a temporary folder.
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CachedRun, runWithCodeCache } from '../../src/loader/code-cache.js';

const BUNDLE = `"use strict";
const path = require('node:path');
function greet(name) { return 'hello ' + name; }
module.exports = { file: __filename, dir: __dirname, joined: path.join('a', 'b'), greeting: greet('cache') };
`;

describe('runWithCodeCache', () => {
  let root: string;
  let problems: string[];
  let run: CachedRun;

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'code-cache-'));
    problems = [];
    writeFileSync(path.join(root, 'action.cjs'), BUNDLE);
    run = {
      file: path.join(root, 'action.cjs'),
      cacheDir: path.join(root, 'cache'),
      variant: 'main',
      require: createRequire(import.meta.url),
      onProblem: (problem) => problems.push(problem),
    };
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('runs the bundle as Node runs a CommonJS module', () => {
    expect(runWithCodeCache(run).exports).toEqual({
      file: run.file,
      dir: root,
      joined: path.join('a', 'b'),
      greeting: 'hello cache',
    });
  });

  it('first run: no cache; saving writes one only this user can read; the next run uses it', () => {
    const first = runWithCodeCache(run);
    expect(first.used).toBe(false);
    first.save();
    expect(statSync(first.cacheFile).mode & 0o777).toBe(0o600);
    expect(statSync(run.cacheDir).mode & 0o777).toBe(0o700);
    const second = runWithCodeCache(run);
    expect(second.cacheFile).toBe(first.cacheFile);
    expect(second.used).toBe(true);
    expect(second.exports).toEqual(first.exports);
    expect(problems).toEqual([]);
  });

  it('a cache that was used is not written again', () => {
    runWithCodeCache(run).save();
    const used = runWithCodeCache(run);
    const before = readFileSync(used.cacheFile);
    writeFileSync(used.cacheFile, before); // same bytes, new mtime: a rewrite would change it again
    const mtime = statSync(used.cacheFile).mtimeMs;
    used.save();
    expect(statSync(used.cacheFile).mtimeMs).toBe(mtime);
  });

  it.each<[string, (run: CachedRun) => void]>([
    [
      'the bundle changes',
      (r) => {
        writeFileSync(r.file, `${BUNDLE}// another build\n`);
      },
    ],
    [
      'the variant differs (post, not main)',
      (r) => {
        r.variant = 'post';
      },
    ],
  ])('%s: another cache file', (_label, change) => {
    const first = runWithCodeCache(run);
    first.save();
    change(run);
    const other = runWithCodeCache(run);
    expect(other.cacheFile).not.toBe(first.cacheFile);
    expect(other.used).toBe(false);
  });

  // Node 22+ reports the rejection (cachedDataRejected); Node 20 compiles anew without saying so. The
  // e2e suite checks the report and the rewrite on Node 24, the runtime action.yml names.
  it('a corrupt cache: the bundle still runs as it should', () => {
    const first = runWithCodeCache(run);
    first.save();
    writeFileSync(first.cacheFile, Buffer.alloc(4096, 7), { mode: 0o600 });
    expect(runWithCodeCache(run).exports).toEqual(first.exports);
  });

  it('a cache folder other users may write: the cache is neither read nor written', () => {
    const first = runWithCodeCache(run);
    first.save();
    chmodSync(run.cacheDir, 0o777);
    const shared = runWithCodeCache(run);
    expect(shared.used).toBe(false);
    expect(problems).toEqual([expect.stringMatching(/other users/)]);
    rmSync(first.cacheFile);
    shared.save();
    expect(problems).toEqual([
      expect.stringMatching(/other users/),
      expect.stringMatching(/could not write/),
    ]);
    expect(() => statSync(first.cacheFile)).toThrow();
  });

  it('a cache file other users may write is not read', () => {
    const first = runWithCodeCache(run);
    first.save();
    chmodSync(first.cacheFile, 0o666);
    expect(runWithCodeCache(run).used).toBe(false);
    expect(problems).toEqual([expect.stringMatching(/other users/)]);
  });

  it('a cache file that is a symbolic link is not read', () => {
    const first = runWithCodeCache(run);
    first.save();
    const elsewhere = path.join(root, 'elsewhere.v8cache');
    writeFileSync(elsewhere, readFileSync(first.cacheFile), { mode: 0o600 });
    rmSync(first.cacheFile);
    symlinkSync(elsewhere, first.cacheFile);
    expect(runWithCodeCache(run).used).toBe(false);
  });

  it('a cache folder that cannot be made: the bundle runs, and saving only reports it', () => {
    writeFileSync(path.join(root, 'file'), '');
    run.cacheDir = path.join(root, 'file', 'cache');
    const use = runWithCodeCache(run);
    expect(use.exports).toMatchObject({ greeting: 'hello cache' });
    expect(() => {
      use.save();
    }).not.toThrow();
    expect(problems).toEqual([expect.stringMatching(/could not write/)]);
  });

  it('a write that fails leaves no partial file behind', () => {
    const use = runWithCodeCache(run);
    mkdirSync(use.cacheFile, { recursive: true }); // the rename onto a folder fails
    use.save();
    expect(problems).toEqual([expect.stringMatching(/could not write/)]);
    expect(readdirSync(run.cacheDir)).toEqual([path.basename(use.cacheFile)]);
  });

  it('an error thrown by the bundle reaches the caller', () => {
    writeFileSync(run.file, 'throw new Error("bundle failed")');
    mkdirSync(run.cacheDir, { mode: 0o700 });
    expect(() => runWithCodeCache(run)).toThrow('bundle failed');
  });
});
