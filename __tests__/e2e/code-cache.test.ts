// dist/index.cjs keeps a V8 code cache in TMPDIR: written after the first run, used by the next, and
// written anew when V8 rejects it. Run as the runner runs the post step (nothing to clean up here).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NODE24 } from './harness.js';

const ENTRY = path.resolve(import.meta.dirname, '..', '..', 'dist', 'index.cjs');

describe('the code cache of dist/index.cjs', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'bpa-code-cache-'));
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  const post = (node = NODE24) => {
    const result = spawnSync(node, [ENTRY], {
      env: { PATH: process.env.PATH, TMPDIR: tmp, STATE_isPost: 'true' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    return result.stdout;
  };
  const cacheFiles = () => {
    const dir = path.join(tmp, 'build-test-push-action-v8');
    return readdirSync(dir).map((name) => path.join(dir, name));
  };

  it('is written by the first run, private to the user, and used as it is by the next', () => {
    expect(post()).not.toContain('Code cache');
    const [file, ...others] = cacheFiles();
    expect(others).toEqual([]);
    expect(statSync(file ?? '').mode & 0o777).toBe(0o600);
    const written = statSync(file ?? '').mtimeMs;
    expect(post()).not.toContain('Code cache');
    expect(statSync(file ?? '').mtimeMs).toBe(written);
  });

  it('a cache V8 rejects is reported in the debug log and written anew', () => {
    post();
    const [file = ''] = cacheFiles();
    writeFileSync(file, Buffer.alloc(4096, 7));
    expect(post()).toMatch(/^::debug::Code cache: V8 rejected .*; it is written anew$/m);
    expect(readFileSync(file).equals(Buffer.alloc(4096, 7))).toBe(false);
    expect(post()).not.toContain('Code cache');
  });

  it('Node 20 runs the bundle too, with a cache of its own', () => {
    post();
    post(process.execPath);
    expect(cacheFiles()).toHaveLength(process.version.startsWith('v24.') ? 1 : 2);
  });
});
