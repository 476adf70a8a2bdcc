import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { childEnvironment, ExecRunner } from '../../src/execute/command-runner.js';
import { Secret } from '../../src/inputs/secret.js';

describe('childEnvironment', () => {
  const parent = {
    PATH: '/usr/bin',
    HOME: '/home/runner',
    INPUT_PASSWORD: 'hunter2',
    INPUT_USERNAME: 'me',
    'INPUT_TEST-COMMAND': 'npm test',
    GITHUB_INPUT: 'kept: only the INPUT_ prefix is dropped',
    UNSET: undefined,
  };

  it('drops every INPUT_* variable and undefined values, keeps the rest', () => {
    expect(childEnvironment(parent)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      GITHUB_INPUT: 'kept: only the INPUT_ prefix is dropped',
    });
  });

  it('adds the extras, which win over the parent', () => {
    expect(childEnvironment(parent, { DOCKER_CONFIG: '/tmp/job/docker-config', HOME: '/other' })).toEqual({
      PATH: '/usr/bin',
      HOME: '/other',
      GITHUB_INPUT: 'kept: only the INPUT_ prefix is dropped',
      DOCKER_CONFIG: '/tmp/job/docker-config',
    });
  });

  it('never carries the password value', () => {
    expect(Object.values(childEnvironment(parent, { X: '1' }))).not.toContain('hunter2');
  });
});

describe('ExecRunner', () => {
  const runner = new ExecRunner();

  it('runs argv without a shell, feeds stdin, keeps stdout and the tail', async () => {
    const result = await runner.run(
      {
        program: 'bash',
        args: ['-c', 'echo "$(cat)"; echo "$1" >&2', 'bash', '$(id); `x`'],
        stdin: new Secret('from stdin'),
      },
      { silent: true },
    );
    expect(result).toEqual({ exitCode: 0, stdout: 'from stdin\n', tail: ['from stdin', '$(id); `x`'] });
  });

  it('keeps a UTF-8 character whole when it arrives split across two writes', async () => {
    // "ü" is 0xC3 0xBC: the two bytes are written a moment apart, so they reach us as two chunks.
    const result = await runner.run(
      { program: 'bash', args: ['-c', "printf 'f\\303'; sleep 0.2; printf '\\274r\\n'"] },
      { silent: true },
    );
    expect(result.stdout).toBe('für\n');
    expect(result.tail).toEqual(['für']);
  });

  it('stops a command that runs past its timeout and says so', async () => {
    const result = await runner.run(
      { program: 'bash', args: ['-c', 'echo started; exec sleep 30'], timeoutSeconds: 0.2 },
      { silent: true },
    );
    expect(result).toEqual({ exitCode: 143, stdout: 'started\n', tail: ['started'], timedOut: true });
  });

  it('a program that does not exist is an error naming it', async () => {
    await expect(runner.run({ program: 'no-such-program-bpa', args: [] }, { silent: true })).rejects.toThrow(
      'Could not run no-such-program-bpa',
    );
  });

  it('a held command starts at once and waits at stdin; run gives it its input', async () => {
    const marker = path.join(await mkdtemp(path.join(os.tmpdir(), 'held-')), 'started');
    const held = runner.hold({
      program: 'bash',
      args: ['-c', 'touch "$1"; echo before >&2; cat', 'bash', marker],
      input: { name: 'the text', text: 'given later\n' },
    });
    await waitFor(() => existsSync(marker));
    const result = await held.run({ silent: true });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('given later\n');
    expect(result.tail).toEqual(['before', 'given later']);
    held.cancel(); // after run: nothing to stop
  });

  it('a held command that is cancelled ends without reading its input', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'held-'));
    const held = runner.hold({
      program: 'bash',
      args: ['-c', 'echo $$ >"$1/pid.tmp"; mv "$1/pid.tmp" "$1/pid"; exec cat >"$1/read"', 'bash', dir],
      input: { name: 'the text', text: 'never written' },
    });
    await waitFor(() => existsSync(path.join(dir, 'pid')));
    const pid = Number(readFileSync(path.join(dir, 'pid'), 'utf8'));
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true); // held: waiting at its stdin
    held.cancel();
    await waitFor(() => !alive());
    expect(readFileSync(path.join(dir, 'read'), 'utf8')).toBe('');
  });

  it('a held command that ends before its turn still gives its output and exit code when run', async () => {
    const held = runner.hold({ program: 'bash', args: ['-c', 'echo early; exit 3'] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(held.run({ silent: true })).resolves.toEqual({
      exitCode: 3,
      stdout: 'early\n',
      tail: ['early'],
    });
  });

  it('a held program that does not exist is an error when run, not before', async () => {
    const held = runner.hold({ program: 'no-such-program-bpa', args: [] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(held.run({ silent: true })).rejects.toThrow('Could not run no-such-program-bpa');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 200) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
