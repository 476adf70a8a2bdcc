import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecRunner } from '../../src/execute/command-runner.js';
import { endTestProcesses, parseStat, testProcesses } from '../../src/execute/test-session.js';

function alive(pid: number): boolean {
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return stat !== '' && parseStat(stat)?.state !== 'Z';
}

describe('parseStat', () => {
  it.each([
    ['123 (bash) S 1 123 123 34816 ...', { state: 'S', session: 123 }],
    ['9 (a (b) c) R 2 40 41 0', { state: 'R', session: 41 }],
    ['77 (sleep) Z 1 70 70 0', { state: 'Z', session: 70 }],
    ['', undefined],
  ])('%j', (text, expected) => {
    expect(parseStat(text)).toEqual(expected);
  });
});

describe('what the test command leaves running', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bpa-session-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is found in its session, or by its marker after setsid, and ended; the test itself runs as before', async () => {
    const sessionFile = path.join(dir, 'test-session');
    const pids = path.join(dir, 'pids');
    const loop = 'while :; do sleep 0.05; done';
    const script = [
      // Left in the session, with the marker cleared; out of the session, with the marker kept;
      // and one that ignores SIGTERM.
      `(env -u BUILD_TEST_PUSH_TEST_SESSION sh -c '${loop}') >/dev/null 2>&1 & echo $! >>'${pids}'`,
      `setsid sh -c 'echo $$ >>"$0"; ${loop}' '${pids}' >/dev/null 2>&1 &`,
      `(trap "" TERM; ${loop}) >/dev/null 2>&1 & echo $! >>'${pids}'`,
      'sleep 0.3; echo tests passed',
    ].join('\n');
    const result = await new ExecRunner().run(
      { program: 'bash', args: ['-eo', 'pipefail', '-c', script], cwd: dir, sessionFile },
      { silent: true },
    );
    expect(result).toEqual({ exitCode: 0, stdout: 'tests passed\n', tail: ['tests passed'] });
    const left = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(left).toHaveLength(3);
    expect(left.every(alive)).toBe(true);
    expect(await endTestProcesses(sessionFile, 500)).toBeGreaterThanOrEqual(3);
    expect(left.filter(alive)).toEqual([]);
    expect(testProcesses(sessionFile, undefined)).toEqual([]);
    expect(await endTestProcesses(sessionFile, 500)).toBe(0);
  });
});
