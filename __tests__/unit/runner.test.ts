import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { jest } from '@jest/globals';
import { deadlineArgv, ExecRunner } from '../../src/execute/command-runner.js';
import { guardOf, type SignalledProcess } from '../../src/execute/interrupt.js';
import { EventEmitter } from 'node:events';
import { Secret } from '../../src/shared/secret.js';

describe('ExecRunner', () => {
  const runner = new ExecRunner();

  it('runs argv without a shell, feeds stdin, keeps stdout and the tail', async () => {
    const result = await runner.run(
      {
        program: 'bash',
        args: ['-c', 'echo "$(tr a-z A-Z)"; echo "$1" >&2', 'bash', '$(id); `x`'],
        stdin: new Secret('from stdin'),
      },
      { silent: true },
    );
    expect(result).toEqual({ exitCode: 0, stdout: 'FROM STDIN\n', tail: ['FROM STDIN', '$(id); `x`'] });
  });

  it('gives secretEnv to that process alone, and shows its value as *** if the process prints it', async () => {
    const command = {
      program: 'sh',
      args: ['-c', 'test "$BUILD_SECRET" = "s3cret-value" && echo "got $BUILD_SECRET"'],
      secretEnv: { BUILD_SECRET: new Secret('s3cret-value') },
    };
    expect(await runner.run(command, { silent: true })).toEqual({
      exitCode: 0,
      stdout: 'got ***\n',
      tail: ['got ***'],
    });
    // The next command, and the action's own environment, never had it.
    const next = await runner.run(
      { program: 'sh', args: ['-c', 'echo "[${BUILD_SECRET-unset}]"'] },
      { silent: true },
    );
    expect(next.stdout).toBe('[unset]\n');
    expect(process.env.BUILD_SECRET).toBeUndefined();
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

  it('stops a command that runs past its deadline (coreutils timeout) and says so', async () => {
    const result = await runner.run(
      { program: 'bash', args: ['-c', 'echo started; exec sleep 30'], timeoutSeconds: 0.2 },
      { silent: true },
    );
    expect(result).toEqual({ exitCode: 124, stdout: 'started\n', tail: ['started'], timedOut: true });
  });

  it('kills a command that ignores the stop signal once the grace period is over', () => {
    expect(deadlineArgv({ program: 'docker', args: ['push', 'x:y'], timeoutSeconds: 300 })).toEqual([
      'timeout',
      ['--kill-after=10s', '300s', 'docker', 'push', 'x:y'],
    ]);
    expect(deadlineArgv({ program: 'docker', args: ['info'] })).toEqual(['docker', ['info']]);
  });

  it('a command that ends by itself within its deadline is not "timed out", whatever its exit code', async () => {
    const result = await runner.run(
      { program: 'bash', args: ['-c', 'exit 3'], timeoutSeconds: 30 },
      { silent: true },
    );
    expect(result).toEqual({ exitCode: 3, stdout: '', tail: [] });
  });

  it('a program that does not exist is an error naming it', async () => {
    await expect(runner.run({ program: 'no-such-program-bpa', args: [] }, { silent: true })).rejects.toThrow(
      'Could not run no-such-program-bpa',
    );
  });

  describe.each([
    ['an empty entry', (rest: string) => `:${rest}`],
    ['a `.` entry', (rest: string) => `.:${rest}`],
    ['a `./` entry', (rest: string) => `./:${rest}`],
  ])('with %s first in PATH', (_name, pathOf) => {
    it('runs the programs of absolute entries, never those of the working directory', async () => {
      const workspace = await mkdtemp(path.join(os.tmpdir(), 'bpa-path-'));
      const note = path.join(workspace, 'ran.txt');
      // Every program the runner starts, as a file committed to the workspace.
      for (const program of ['bash', 'sh', 'setsid', 'timeout']) {
        writeFileSync(path.join(workspace, program), `#!/bin/sh\necho ${program} >>'${note}'\n`, {
          mode: 0o755,
        });
      }
      const saved = process.env;
      process.env = { ...saved, PATH: pathOf(saved.PATH ?? '') };
      try {
        const result = await runner.run(
          {
            program: 'bash',
            args: ['-c', 'echo "real $BASH_VERSION" | cut -c1-4'],
            cwd: workspace,
            timeoutSeconds: 30,
            sessionFile: path.join(workspace, 'session'),
          },
          { silent: true },
        );
        expect(result.stdout).toBe('real\n');
      } finally {
        process.env = saved;
      }
      expect(existsSync(note)).toBe(false);
    });
  });

  it('logs the command and its output, the stdin secret masked wherever the command echoes it', async () => {
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const result = await runner.run({
        program: 'bash',
        args: ['-c', 'read -r p; echo "got $p"; echo "err $p" >&2'],
        stdin: new Secret('s3cr3t-value'),
      });
      expect(result.stdout).toBe('got ***\n');
      expect(result.tail).toEqual(['got ***', 'err ***']);
    } finally {
      write.mockRestore();
    }
    const log = written.join('');
    expect(log).toContain('[command]bash -c read -r p;');
    expect(log).toContain('got ***');
    expect(log).not.toContain('s3cr3t-value');
  });

  it('a command without stdin that ends at once never fails the write to its stdin (EPIPE)', async () => {
    // Before, an empty stdin was written after the start: a process already gone made that write
    // fail on a stream with no listener, and the action died (within a few runs of this loop).
    for (let run = 0; run < 100; run++) {
      expect((await runner.run({ program: 'sh', args: ['-c', 'exit 3'] }, { silent: true })).exitCode).toBe(
        3,
      );
    }
  });

  it('stdin is ended when the command has none, so a program reading it does not wait', async () => {
    const result = await runner.run({ program: 'cat', args: [] }, { silent: true });
    expect(result).toEqual({ exitCode: 0, stdout: '', tail: [] });
  });
});

describe('the interrupt guard: a cancelled job still cleans up', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'on %s the cleanup runs while the command runs, then the process ends with %i',
    async (signal, code) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'guard-'));
      const signals = new EventEmitter();
      let exitCode: number | undefined;
      const exited = new Promise<void>((resolve) => {
        Object.assign(signals, {
          exit: (c: number) => {
            exitCode = c;
            resolve();
          },
        });
      });
      let cleaned = false;
      const guard = guardOf(signals as unknown as SignalledProcess);
      const running = guard.protect(
        () => {
          cleaned = true;
          return Promise.resolve();
        },
        () =>
          new ExecRunner().run(
            {
              program: 'bash',
              args: ['-c', 'echo $$ >"$1/pid.tmp"; mv "$1/pid.tmp" "$1/pid"; exec sleep 30', 'bash', dir],
            },
            { silent: true },
          ),
      );
      const pidFile = path.join(dir, 'pid');
      try {
        await waitFor(() => existsSync(pidFile));
        signals.emit(signal);
        await exited;
        expect(cleaned).toBe(true);
        expect(exitCode).toBe(code);
      } finally {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
        await running;
      }
      expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
    },
  );
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 200) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
