import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { refContextOf } from '../../__fixtures__/runner.js';
import { runJob } from '../../src/execute/run-job.js';
import type { JobPlan } from '../../src/plan/job-plan.js';
import { newRunRecord } from '../../src/record/run-record.js';
import type { CommandResult, CommandRunner } from '../../src/shared/command.js';
import type { Log } from '../../src/shared/log.js';
import { settings } from './helpers.js';

const log: Log = {
  group: (_title, body) => body(),
  info: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
  debug: () => undefined,
};

describe('runJob: the job folder belongs to the execution', () => {
  let runnerTemp: string;
  beforeEach(async () => {
    runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'run-job-'));
  });
  afterEach(async () => {
    await rm(runnerTemp, { recursive: true, force: true });
  });

  /** A plan of one test step, and a folder with a login config and a labelled Dockerfile. */
  const planIn = (dir: string): JobPlan => ({
    steps: [{ kind: 'test', title: 'Run tests', command: { program: 'bash', args: ['-c', 'true'] } }],
    engine: { buildx: false, serverVersion: '20.10.24' },
    labels: {},
    base: undefined,
    folder: {
      dir,
      dockerConfig: { dir: path.join(dir, 'docker-config'), registries: ['ghcr.io'] },
      files: [{ path: path.join(dir, 'Dockerfile.labelled'), text: 'FROM scratch\nLABEL "a"="1"\n' }],
      testContainer: undefined,
    },
  });

  /** Sees the folder as the steps find it, and answers with `exitCode`. */
  const seeing = (dir: string, exitCode: number) => {
    const seen: { entries: string[]; mode: number; labelled: string }[] = [];
    const runner: CommandRunner = {
      async run(): Promise<CommandResult> {
        seen.push({
          entries: (await readdir(dir)).sort(),
          mode: (await stat(dir)).mode & 0o777,
          labelled: await readFile(path.join(dir, 'Dockerfile.labelled'), 'utf8'),
        });
        return { exitCode, stdout: '', tail: ['tests failed'] };
      },
    };
    return { seen, runner };
  };

  const job = (runner: CommandRunner) => ({
    settings: settings({ workingDirectory: runnerTemp }),
    context: refContextOf('push-default-branch'),
    env: { DOCKER_CONFIG: path.join(runnerTemp, 'no-user-config') },
    runner,
    reader: { read: () => Promise.resolve({ kind: 'missing' as const }) },
    log,
    record: newRunRecord(),
    onBuilt: () => undefined,
  });

  it('makes the folder the plan names before the first step, and removes it after the last', async () => {
    const dir = path.join(runnerTemp, 'nested', 'build-test-push-1');
    const { seen, runner } = seeing(dir, 0);
    await runJob(planIn(dir), job(runner));
    expect(seen).toEqual([
      {
        entries: ['Dockerfile.labelled', 'docker-config'],
        mode: 0o700,
        labelled: 'FROM scratch\nLABEL "a"="1"\n',
      },
    ]);
    expect(await readdir(path.join(runnerTemp, 'nested'))).toEqual([]);
  });

  it('removes the folder when a step fails', async () => {
    const dir = path.join(runnerTemp, 'build-test-push-2');
    const { seen, runner } = seeing(dir, 1);
    await expect(runJob(planIn(dir), job(runner))).rejects.toThrow();
    expect(seen).toHaveLength(1);
    expect(await readdir(runnerTemp)).toEqual([]);
  });

  it('never takes over a folder that is already there', async () => {
    const { seen, runner } = seeing(runnerTemp, 0);
    await expect(runJob(planIn(runnerTemp), job(runner))).rejects.toThrow(/EEXIST/);
    expect(seen).toEqual([]);
    expect((await stat(runnerTemp)).isDirectory()).toBe(true);
  });
});
