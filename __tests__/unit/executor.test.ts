import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { StepError } from '../../src/errors.js';
import { execute, type Log } from '../../src/executor.js';
import { makePlan, type Step } from '../../src/plan.js';
import { Secret } from '../../src/secret.js';
import { dockerLines, FakeRunner, result, settings } from './helpers.js';

const A = 'localhost:5000/team/app:main';
const B = 'localhost:5000/team/app:0123456';
const C = 'localhost:5000/team/app:latest';
const digest = (n: string) => `sha256:${n.repeat(64)}`;
const pushed = (tag: string, n: string) =>
  result(0, [
    'The push refers to repository [localhost:5000/team/app]',
    `${tag}: digest: ${digest(n)} size: 527`,
  ]);

let jobDir: string;
let titles: string[];
const log: Log = {
  group: (title, body) => {
    titles.push(title);
    return body();
  },
  info: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
};

beforeEach(async () => {
  jobDir = await mkdtemp(path.join(tmpdir(), 'executor-test-'));
  titles = [];
});
afterEach(async () => {
  await rm(jobDir, { recursive: true, force: true });
});

function plan(references = [A, B]): Step[] {
  return makePlan({
    settings: settings({
      testCommand: 'npm test',
      credentials: { username: 'me', password: new Secret('hunter2') },
      loginRegistry: 'localhost:5000',
    }),
    engine: { buildx: true, serverVersion: '27.0.0' },
    references,
    labels: {},
    jobDir,
    dockerConfig: path.join(jobDir, 'docker-config'),
  });
}

/** The registry has no such tag yet (buildx imagetools inspect). */
const absent = result(1, ['ERROR: localhost:5000/team/app:main: not found']);
/** The registry holds digest(n) at the tag. */
const held = (n: string, labels: Record<string, string> = {}) =>
  result(0, [], JSON.stringify({ manifest: { digest: digest(n) }, image: { config: { Labels: labels } } }));

/** A successful build that writes the iidfile, as docker does. */
const built = (id: string) => async () => {
  await writeFile(path.join(jobDir, 'image-id'), `${id}\n`);
  return result(0, ['#8 DONE 0.1s']);
};

async function failure(promise: Promise<unknown>): Promise<StepError> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(StepError);
  return error as StepError;
}

describe('execute', () => {
  it('runs every step in order and collects the image id and a digest per reference', async () => {
    const steps = plan();
    const runner = new FakeRunner(
      result(0),
      result(0),
      absent,
      absent,
      built('sha256:feed'),
      pushed('main', 'a'),
      pushed('0123456', 'a'),
      held('a'),
      held('a'),
    );
    const execution = await execute(steps, runner, log);
    expect(runner.commands).toEqual(steps.map((step) => step.command));
    expect(titles).toEqual([
      'Run tests',
      'Log in to localhost:5000',
      `Check what ${A} holds now (and 1 more at once)`,
      `Build ${A}, ${B} (buildx)`,
      `Push ${A}`,
      `Push ${B}`,
      `Verify the registry's digest of ${A} (and 1 more at once)`,
    ]);
    expect(execution.imageId).toBe('sha256:feed');
    expect([...execution.digests]).toEqual([
      [A, digest('a')],
      [B, digest('a')],
    ]);
    expect(execution.timings.map((t) => t.kind)).toEqual([
      'test',
      'login',
      'lookup',
      'lookup',
      'build',
      'push',
      'push',
      'verify',
      'verify',
    ]);
    for (const timing of execution.timings) expect(timing.seconds).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ['empty', built('')],
    ['missing', () => result(0, ['#8 DONE 0.1s'])],
  ])('a build that leaves an %s iidfile fails and pushes nothing', async (_name, build) => {
    const runner = new FakeRunner(result(0), result(0), absent, absent, build);
    const error = await failure(execute(plan(), runner, log));
    expect(error.message).toMatch(
      /^Build reported success but wrote no image id to .*image-id; nothing was pushed\.$/,
    );
    expect(runner.commands).toHaveLength(5);
  });

  it('failing tests: exit code and the last 20 lines; nothing else runs', async () => {
    const output = Array.from({ length: 30 }, (_, i) => `test output ${i + 1}`);
    const runner = new FakeRunner(result(3, output));
    const error = await failure(execute(plan(), runner, log));
    expect(error.message).toBe(
      `Tests failed with exit code 3; nothing was built or pushed. Last lines of their output:\n${output.slice(10).join('\n')}`,
    );
    expect(error.exitCode).toBe(3);
    expect(error.tail).toEqual(output);
    expect(runner.commands.map((c) => c.program)).toEqual(['bash']);
  });

  it('failed login: names the registry and the reason; nothing is built', async () => {
    const runner = new FakeRunner(
      result(0),
      result(1, [
        'Error response from daemon: Get "http://localhost:5000/v2/": unauthorized: authentication required',
      ]),
    );
    const error = await failure(execute(plan(), runner, log));
    expect(error.message).toBe(
      'Login to localhost:5000 failed: Error response from daemon: Get "http://localhost:5000/v2/": unauthorized: authentication required. Check `username` and `password`; nothing was built or pushed.',
    );
    expect(runner.commands.map((c) => c.args[0])).toEqual(['-eo', 'login']);
  });

  it.each([
    [
      'buildx',
      'buildx-run-exit-3.txt',
      'Build failed at [3/4] RUN echo "compiling the app" && exit 3: ERROR: failed to solve: executor failed running [/bin/sh -c echo "compiling the app" && exit 3]: exit code: 3; nothing was pushed.',
    ],
    [
      'classic',
      'classic-copy-missing.txt',
      'Build failed at step 2/2: COPY missing /: COPY failed: file not found in build context or excluded by .dockerignore: stat missing: file does not exist; nothing was pushed.',
    ],
  ])('failed %s build names the failing step; nothing is pushed', async (_label, file, message) => {
    const runner = new FakeRunner(result(0), result(0), absent, absent, result(1, dockerLines(file)));
    const error = await failure(execute(plan(), runner, log));
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(1);
    expect(runner.commands).toHaveLength(5);
  });

  it('a build failure with no output still explains itself', async () => {
    const error = await failure(
      execute(plan(), new FakeRunner(result(0), result(0), absent, absent, result(125)), log),
    );
    expect(error.message).toBe('Build failed: exit code 125; nothing was pushed.');
  });

  it('a failed second push lists what was pushed and what was not; later pushes do not run', async () => {
    const runner = new FakeRunner(
      result(0),
      result(0),
      absent,
      absent,
      absent,
      built('sha256:feed'),
      pushed('main', 'a'),
      result(1, [
        'The push refers to repository [localhost:5000/team/app]',
        'denied: requested access to the resource is denied',
      ]),
    );
    const error = await failure(execute(plan([A, B, C]), runner, log, { retries: 3 }));
    expect(error.message).toBe(
      `Push of ${B} failed (not retried: a retry cannot fix this): denied: requested access to the resource is denied\n` +
        'localhost:5000 refused the credentials given in `username`/`password`: check that they may push to this repository.\n' +
        `Pushed: ${A}\nNot pushed: ${B}, ${C}`,
    );
    expect(runner.commands).toHaveLength(8);
  });

  it('a push that exits 0 without reporting a digest for its tag fails', async () => {
    const runner = new FakeRunner(
      result(0),
      result(0),
      absent,
      absent,
      built('sha256:feed'),
      pushed('other', 'a'),
    );
    const error = await failure(execute(plan(), runner, log));
    expect(error.message).toBe(
      `Push of ${A} failed (not retried: a retry cannot fix this): other: digest: ${digest('a')} size: 527\nPushed: nothing\nNot pushed: ${A}, ${B}`,
    );
  });
});
