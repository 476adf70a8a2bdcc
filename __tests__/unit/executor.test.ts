import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { StepError } from '../../src/shared/errors.js';
import { execute } from '../../src/execute/executor.js';
import { newRunRecord } from '../../src/record/run-record.js';
import type { InterruptGuard } from '../../src/execute/interrupt.js';
import { IMAGE_ID_PLACEHOLDER, makePlan, type Step } from '../../src/plan/plan.js';
import { Secret } from '../../src/shared/secret.js';
import type { InImageTest } from '../../src/inputs/settings.js';
import type { Command } from '../../src/shared/command.js';
import type { RemoteRead } from '../../src/registry/registry-reader.js';
import { dockerLines, FakeReader, FakeRunner, recordingLog, result, settings } from './helpers.js';

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
let log = recordingLog();
let { titles, infos } = log;

beforeEach(async () => {
  jobDir = await mkdtemp(path.join(tmpdir(), 'executor-test-'));
  log = recordingLog();
  ({ titles, infos } = log);
});
afterEach(async () => {
  await rm(jobDir, { recursive: true, force: true });
});

function plan(references = [A, B], testInImage?: InImageTest): Step[] {
  return makePlan({
    settings: settings({
      testInImage,
      testCommand: 'npm test',
      credentials: { username: 'me', password: new Secret('hunter2') },
      loginRegistry: 'localhost:5000',
    }),
    engine: { buildx: true, serverVersion: '27.0.0' },
    references,
    labels: {},
    cacheImages: [],
    jobDir,
    dockerConfig: path.join(jobDir, 'docker-config'),
    testContainer: 'build-test-push-in-image-1234',
  });
}

const FEATURE = 'localhost:5000/team/app:feature';
const MAIN = 'localhost:5000/team/app:main';

/** A build of FEATURE with the registry cache: the branch's image, then the default branch's. */
function cachePlan(buildx: boolean): Step[] {
  return makePlan({
    settings: settings(),
    engine: { buildx, serverVersion: buildx ? '27.0.0' : '20.10.24' },
    references: [FEATURE],
    labels: {},
    cacheImages: [FEATURE, MAIN],
    jobDir,
    dockerConfig: undefined,
    testContainer: 'build-test-push-in-image-1',
  });
}

/** What a command's --cache-from flags name. */
function sources(command: Command | undefined): string[] {
  return (command?.args ?? []).filter((_arg, index, args) => args[index - 1] === '--cache-from');
}

/** The plan without its registry reads, for tests about other steps. */
function withoutRegistryReads(steps: Step[]): Step[] {
  return steps.filter((step) => step.kind !== 'lookup' && step.kind !== 'verify');
}

/** The registry has no such tag yet. */
const absent: RemoteRead = { kind: 'missing' };
/** The registry holds digest(n) at the tag. */
const held = (n: string, labels: Record<string, string> = {}): RemoteRead => ({
  kind: 'found',
  digest: digest(n),
  configDigest: undefined,
  labels,
});
/** Execute options whose registry gives these answers, one per read, in the plan's order. */
const reads = (...answers: RemoteRead[]) => ({ retries: 0, reader: new FakeReader(...answers) });
/** Execute options for a plan whose reads never run. */
const NO_READS = reads();

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
      built('sha256:feed'),
      pushed('main', 'a'),
      pushed('0123456', 'a'),
    );
    const options = reads(absent, absent, held('a'), held('a'));
    const execution = await execute(steps, runner, log, undefined, undefined, options);
    expect(runner.commands).toEqual(steps.flatMap((step) => ('command' in step ? [step.command] : [])));
    expect(options.reader.asked.map(([reference, request]) => [reference, request.labels])).toEqual([
      [A, true],
      [B, true],
      [A, false],
      [B, false],
    ]);
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
    expect(execution.phases.map((t) => [t.activity, t.tag])).toEqual([
      ['tests', undefined],
      ['login', undefined],
      ['lookup', 'main'],
      ['lookup', '0123456'],
      ['build', undefined],
      ['push', 'main'],
      ['push', '0123456'],
      ['read-back', 'main'],
      ['read-back', '0123456'],
    ]);
    for (const timing of execution.phases) expect(timing.seconds).toBeGreaterThanOrEqual(0);
  });

  it('tells onBuilt the image id once the build is done, before anything is pushed', async () => {
    const events: string[] = [];
    const runner = new FakeRunner(result(0), result(0), built('sha256:feed'), (command) => {
      events.push(command.args.join(' '));
      return pushed('main', 'a');
    });
    await execute(plan(), runner, log, undefined, undefined, {
      ...reads(absent, absent),
      onBuilt: (imageId) => events.push(`built ${imageId}`),
    }).catch(() => undefined);
    expect(events.slice(0, 2)).toEqual(['built sha256:feed', `push ${A}`]);
  });

  it.each([
    ['empty', built('')],
    ['missing', () => result(0, ['#8 DONE 0.1s'])],
  ])('a build that leaves an %s iidfile fails and pushes nothing', async (_name, build) => {
    const runner = new FakeRunner(result(0), result(0), build);
    const error = await failure(execute(plan(), runner, log, undefined, undefined, reads(absent, absent)));
    expect(error.message).toMatch(
      /^Build reported success but wrote no image id to .*image-id; nothing was pushed\.$/,
    );
    expect(runner.commands).toHaveLength(3);
  });

  it('failing tests: exit code and the last 20 lines; nothing else runs', async () => {
    const output = Array.from({ length: 30 }, (_, i) => `test output ${i + 1}`);
    const runner = new FakeRunner(result(3, output));
    const error = await failure(execute(plan(), runner, log, undefined, undefined, NO_READS));
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
    const error = await failure(execute(plan(), runner, log, undefined, undefined, NO_READS));
    expect(error.message).toBe(
      'Login to localhost:5000 failed: Error response from daemon: Get "http://localhost:5000/v2/": unauthorized: authentication required. Check `username`/`password`; nothing was built or pushed.',
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
    const runner = new FakeRunner(result(0), result(0), result(1, dockerLines(file)));
    const error = await failure(execute(plan(), runner, log, undefined, undefined, reads(absent, absent)));
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(1);
    expect(runner.commands).toHaveLength(3);
  });

  it('a build failure with no output still explains itself', async () => {
    const error = await failure(
      execute(
        plan(),
        new FakeRunner(result(0), result(0), result(125)),
        log,
        undefined,
        undefined,
        reads(absent, absent),
      ),
    );
    expect(error.message).toBe('Build failed: exit code 125; nothing was pushed.');
  });

  it('a failed second push lists what was pushed and what was not; later pushes do not run', async () => {
    const runner = new FakeRunner(
      result(0),
      result(0),
      built('sha256:feed'),
      pushed('main', 'a'),
      result(1, [
        'The push refers to repository [localhost:5000/team/app]',
        'denied: requested access to the resource is denied',
      ]),
    );
    const error = await failure(
      execute(plan([A, B, C]), runner, log, newRunRecord(), undefined, {
        ...reads(absent, absent, absent),
        retries: 3,
      }),
    );
    expect(error.message).toBe(
      `Push of ${B} failed (not retried: a retry cannot fix this): denied: requested access to the resource is denied\n` +
        'localhost:5000 refused the credentials this step logged in with (`username`/`password`, or its `registry-auth` entry): check that they may push to this repository.\n' +
        `Pushed: ${A}\nNot pushed: ${B}, ${C}`,
    );
    expect(runner.commands).toHaveLength(5);
  });

  it('a push that exits 0 without reporting a digest for its tag fails', async () => {
    const runner = new FakeRunner(result(0), result(0), built('sha256:feed'), pushed('other', 'a'));
    const error = await failure(execute(plan(), runner, log, undefined, undefined, reads(absent, absent)));
    expect(error.message).toBe(
      `Push of ${A} failed (not retried: a retry cannot fix this): other: digest: ${digest('a')} size: 527\nPushed: nothing\nNot pushed: ${A}, ${B}`,
    );
  });

  describe('registry cache pulls (classic builder)', () => {
    const classicPlan = (): Step[] => cachePlan(false);
    const missing = result(1, ['Error response from daemon: manifest for x not found: manifest unknown']);

    /** `docker image inspect --format '{{.Id}}'` of the cache image here. */
    const local = (id: string) => result(0, [], `${id}\n`);

    it('the branch image pulled: the default branch is skipped', async () => {
      const runner = new FakeRunner(result(0, [FEATURE]), built('sha256:feed'), pushed('feature', 'a'));
      const execution = await execute(
        withoutRegistryReads(classicPlan()),
        runner,
        log,
        undefined,
        undefined,
        NO_READS,
      );
      expect(runner.commands.map((c) => c.args.slice(0, 2))).toEqual([
        ['pull', '--quiet'],
        ['build', '--file'],
        ['push', FEATURE],
      ]);
      expect(execution.cachePulled).toEqual([FEATURE]);
      // The branch's own image is the closer cache; the default branch's would add nothing.
      expect(sources(runner.commands[1])).toEqual([FEATURE]);
    });

    it('a cache image already here, as the registry holds it, is not pulled again', async () => {
      const here = digest('e');
      const steps = classicPlan().filter((step) => step.kind !== 'verify');
      const reader = {
        read: () =>
          Promise.resolve({ kind: 'found' as const, digest: digest('a'), configDigest: here, labels: {} }),
      };
      const runner = new FakeRunner(local(here), built(here));
      const execution = await execute(steps, runner, log, undefined, undefined, { retries: 0, reader });
      expect(runner.commands.map((c) => c.args.slice(0, 2))).toEqual([
        ['image', 'inspect'],
        ['build', '--file'],
      ]);
      expect(execution.cachePulled).toEqual([FEATURE]);
      expect(infos).toContain(`${FEATURE} is here already, as the registry holds it: not pulled.`);
      // The tag holds this very image already: nothing to push either.
      expect(execution.alreadyInRegistry).toEqual([FEATURE]);
    });

    it('the containerd image store: a cache image here whose id is the registry’s manifest digest is not pulled', async () => {
      const steps = classicPlan().filter((step) => step.kind !== 'verify');
      const reader = {
        read: () =>
          Promise.resolve({
            kind: 'found' as const,
            digest: digest('a'),
            configDigest: digest('c'),
            labels: {},
          }),
      };
      const runner = new FakeRunner(local(digest('a')), built(digest('a')));
      const execution = await execute(steps, runner, log, undefined, undefined, { retries: 0, reader });
      expect(runner.commands.map((c) => c.args.slice(0, 2))).toEqual([
        ['image', 'inspect'],
        ['build', '--file'],
      ]);
      expect(infos).toContain(`${FEATURE} is here already, as the registry holds it: not pulled.`);
      expect(execution.alreadyInRegistry).toEqual([FEATURE]);
    });

    it('a cache image here but older than the registry’s is pulled', async () => {
      const steps = classicPlan().filter((step) => step.kind !== 'verify');
      const reader = {
        read: () =>
          Promise.resolve({
            kind: 'found' as const,
            digest: digest('a'),
            configDigest: digest('c'),
            labels: {},
          }),
      };
      const runner = new FakeRunner(
        local(digest('d')),
        result(0, [FEATURE]),
        built('sha256:feed'),
        pushed('feature', 'a'),
      );
      const execution = await execute(steps, runner, log, undefined, undefined, { retries: 0, reader });
      expect(runner.commands.map((c) => c.args.slice(0, 2))).toEqual([
        ['image', 'inspect'],
        ['pull', '--quiet'],
        ['build', '--file'],
        ['push', FEATURE],
      ]);
      expect(execution.cachePulled).toEqual([FEATURE]);
    });

    it('a new branch: its image is missing, the default branch is pulled, the build goes on', async () => {
      const runner = new FakeRunner(missing, result(0, [MAIN]), built('sha256:feed'), pushed('feature', 'a'));
      const execution = await execute(
        withoutRegistryReads(classicPlan()),
        runner,
        log,
        undefined,
        undefined,
        NO_READS,
      );
      expect(runner.commands.map((c) => c.args.at(-1))).toEqual([FEATURE, MAIN, '/ws', FEATURE]);
      expect(execution.cachePulled).toEqual([MAIN]);
      expect(execution.digests.get(FEATURE)).toBe(digest('a'));
    });

    it('no cache image anywhere (first build, or the registry refused): still builds and pushes', async () => {
      const runner = new FakeRunner(missing, missing, built('sha256:feed'), pushed('feature', 'a'));
      const execution = await execute(
        withoutRegistryReads(classicPlan()),
        runner,
        log,
        undefined,
        undefined,
        NO_READS,
      );
      expect(execution.cachePulled).toEqual([]);
      expect(execution.imageId).toBe('sha256:feed');
    });
  });

  describe('registry cache sources the lookups proved useless (buildx)', () => {
    const buildxPlan = (): Step[] =>
      cachePlan(true).filter((step) => step.kind !== 'verify' && step.kind !== 'push');
    const answer = (read: RemoteRead) => ({ read: () => Promise.resolve(read) });

    it("a new branch: its missing tag is neither pulled nor imported; the default branch's is", async () => {
      const runner = new FakeRunner(result(0, [MAIN]), built('sha256:feed'));
      const reader = answer({ kind: 'missing' });
      await execute(buildxPlan(), runner, log, undefined, undefined, { retries: 0, reader });
      expect(runner.commands.map((c) => `${c.args.slice(0, 2).join(' ')} ${c.args.at(-1) ?? ''}`)).toEqual([
        `pull --quiet ${MAIN}`,
        'buildx build /ws',
      ]);
      expect(sources(runner.commands[1])).toEqual([`type=registry,ref=${MAIN}`]);
      expect(infos).toContain(
        `Skipped pulling ${FEATURE}: the registry has no such tag yet (normal for a new branch).`,
      );
    });

    it("an existing branch: the default branch's image is neither pulled nor imported", async () => {
      const reader = answer({ kind: 'found', digest: digest('a'), configDigest: digest('c'), labels: {} });
      const runner = new FakeRunner(
        result(0, [], `${digest('b')}\n`),
        result(0, [FEATURE]),
        built('sha256:feed'),
      );
      await execute(buildxPlan(), runner, log, undefined, undefined, { retries: 0, reader });
      expect(runner.commands.map((c) => c.args.slice(0, 2).join(' '))).toEqual([
        'image inspect',
        'pull --quiet',
        'buildx build',
      ]);
      expect(sources(runner.commands[2])).toEqual([`type=registry,ref=${FEATURE}`]);
    });
  });

  describe('several platforms: buildx pushes', () => {
    function multiPlatformPlan(push = true): Step[] {
      return makePlan({
        settings: settings({ platforms: ['linux/amd64', 'linux/arm64'], push }),
        engine: { buildx: true, serverVersion: '27.0.0' },
        references: [A, B],
        labels: {},
        cacheImages: [],
        jobDir,
        dockerConfig: undefined,
        testContainer: 'build-test-push-in-image-1',
      });
    }

    it('every reference gets the digest buildx recorded', async () => {
      const runner = new FakeRunner(async () => {
        await writeFile(
          path.join(jobDir, 'build-metadata.json'),
          JSON.stringify({ 'containerimage.digest': digest('c'), 'image.name': `${A},${B}` }),
        );
        return result(0);
      });
      const execution = await execute(
        withoutRegistryReads(multiPlatformPlan()),
        runner,
        log,
        undefined,
        undefined,
        NO_READS,
      );
      expect([...execution.digests]).toEqual([
        [A, digest('c')],
        [B, digest('c')],
      ]);
      expect(execution.imageId).toBeUndefined();
    });

    it('no digest recorded: fails', async () => {
      const runner = new FakeRunner(result(0));
      const error = await failure(
        execute(withoutRegistryReads(multiPlatformPlan()), runner, log, undefined, undefined, NO_READS),
      );
      expect(error.message).toMatch(
        /^buildx reported success but recorded no pushed digest in .*build-metadata\.json\.$/,
      );
    });

    it('without push: nothing to read, nothing pushed', async () => {
      const execution = await execute(
        withoutRegistryReads(multiPlatformPlan(false)),
        new FakeRunner(result(0)),
        log,
        undefined,
        undefined,
        NO_READS,
      );
      expect(execution.digests.size).toBe(0);
    });
  });
});

describe('execute: the in-image test', () => {
  const CONTAINER = 'build-test-push-in-image-1234';
  const smoke: InImageTest = { command: { form: 'shell', script: 'test -f /app/hello.txt' }, env: [] };
  const removal = ['rm', '--force', CONTAINER];
  const inImagePlan = () => withoutRegistryReads(plan([A, B], smoke));
  const args = (runner: FakeRunner) => runner.commands.map((c) => c.args.slice(0, 3).join(' '));

  /** Records the command it answers, to check which image id it got. */
  const answer = (exitCode: number, tail: string[] = []) => {
    const seen: Command[] = [];
    const fn = (command: Command) => {
      seen.push(command);
      return result(exitCode, tail);
    };
    return { fn, seen };
  };

  it('runs on the built image id between build and push, then removes its container', async () => {
    const run = answer(0, ['ok']);
    const runner = new FakeRunner(
      result(0),
      result(0),
      built('sha256:feed'),
      run.fn,
      result(0),
      pushed('main', 'a'),
      pushed('0123456', 'b'),
    );
    const execution = await execute(inImagePlan(), runner, log, undefined, undefined, NO_READS);
    expect(args(runner)).toEqual([
      '-eo pipefail -c',
      'login --username me',
      'buildx build --progress=plain',
      'run --rm --name',
      removal.join(' '),
      'push ' + A,
      'push ' + B,
    ]);
    expect(run.seen[0]?.args).toContain('sha256:feed');
    expect(run.seen[0]?.args).not.toContain(IMAGE_ID_PLACEHOLDER);
    expect(run.seen[0]?.args.slice(-4)).toEqual(['sha256:feed', '-e', '-c', 'test -f /app/hello.txt']);
    expect(execution.digests.size).toBe(2);
    expect(execution.phases.map((t) => t.activity)).toEqual([
      'tests',
      'login',
      'build',
      'test in image',
      'push',
      'push',
    ]);
    expect(infos).toEqual([]);
  });

  it('a failing test: exit code and the last 20 lines; the container is removed and nothing is pushed', async () => {
    const output = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`);
    const runner = new FakeRunner(result(0), result(0), built('sha256:feed'), result(1, output), result(0));
    const error = await failure(execute(inImagePlan(), runner, log, undefined, undefined, NO_READS));
    expect(error.message).toBe(
      `Test inside the image failed with exit code 1; nothing was pushed. Last lines of its output:\n${output.slice(5).join('\n')}`,
    );
    expect(error.exitCode).toBe(1);
    expect(error.tail).toEqual(output);
    expect(runner.commands.at(-1)?.args).toEqual(removal);
    expect(runner.commands).toHaveLength(5);
  });

  it.each([
    [
      'no /bin/sh',
      127,
      'docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory: unknown',
      'The image has no /bin/sh: write `test-in-image` in exec form, e.g. ["/app/server", "--version"], which needs no shell.',
    ],
    [
      'no such program (exec form)',
      127,
      'docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/server": stat /app/server: no such file or directory: unknown.',
      'The image has no /app/server.',
    ],
    ['a program that exits 127 itself', 127, 'sh: python: not found', ''],
    ['not a docker start error', 1, 'exec: "/bin/sh": stat /bin/sh: no such file or directory', ''],
  ])('%s: hint %j', async (_label, exitCode, line, hint) => {
    const runner = new FakeRunner(
      result(0),
      result(0),
      built('sha256:feed'),
      result(exitCode, [line]),
      result(0),
    );
    const error = await failure(execute(inImagePlan(), runner, log, undefined, undefined, NO_READS));
    expect(error.message).toBe(
      `Test inside the image failed with exit code ${exitCode}; nothing was pushed.${hint === '' ? '' : ` ${hint}`} Last lines of its output:\n${line}`,
    );
  });

  it('the container is removed even when running docker itself throws', async () => {
    const runner = new FakeRunner(
      result(0),
      result(0),
      built('sha256:feed'),
      () => Promise.reject(new Error('spawn docker ENOENT')),
      result(0),
    );
    await expect(execute(inImagePlan(), runner, log, undefined, undefined, NO_READS)).rejects.toThrow(
      'spawn docker ENOENT',
    );
    expect(runner.commands.at(-1)?.args).toEqual(removal);
  });

  it('an interruption while the container runs removes it at once', async () => {
    const order: string[] = [];
    let protectedSteps = 0;
    const guard: InterruptGuard = {
      async protect(cleanup, body) {
        const running = body();
        // The test command runs protected too: the interruption comes during the in-image test.
        if (++protectedSteps === 1) return running;
        order.push('interrupted');
        await cleanup();
        return running;
      },
    };
    const runner = new FakeRunner(
      result(0),
      result(0),
      built('sha256:feed'),
      () => {
        order.push('container ran');
        return result(130);
      },
      (command) => {
        order.push(`cleanup: ${command.args.join(' ')}`);
        return result(0);
      },
      (command) => {
        order.push(`finally: ${command.args.join(' ')}`);
        return result(0);
      },
    );
    await failure(execute(inImagePlan(), runner, log, newRunRecord(), guard, NO_READS));
    expect(order).toEqual([
      'container ran',
      'interrupted',
      `cleanup: ${removal.join(' ')}`,
      `finally: ${removal.join(' ')}`,
    ]);
  });

  it('a container that cannot be removed is reported, not hidden, and does not hide the result', async () => {
    const runner = new FakeRunner(
      result(0),
      result(0),
      built('sha256:feed'),
      result(0),
      result(1, ['Error response from daemon: Cannot connect to the Docker daemon']),
      pushed('main', 'a'),
      pushed('0123456', 'b'),
    );
    await execute(inImagePlan(), runner, log, undefined, undefined, NO_READS);
    expect(infos).toEqual([
      `Could not remove container ${CONTAINER}: Error response from daemon: Cannot connect to the Docker daemon`,
    ]);
  });

  it('without a build before it, the step refuses to run', async () => {
    const steps = inImagePlan().filter((step) => step.kind === 'test-in-image');
    const error = await failure(execute(steps, new FakeRunner(), log, undefined, undefined, NO_READS));
    expect(error.message).toBe('The in-image test needs the image id of a build before it.');
  });
});

describe('execute records what happened, also when a step fails', () => {
  it('counts the build output line by line, orders timings, and logs commands only as debug', async () => {
    const debug: string[] = [];
    const runner = new FakeRunner(
      result(0),
      result(0),
      async () => {
        await built('sha256:feed')();
        return result(0, dockerLines('buildx-cached.txt'));
      },
      pushed('main', 'a'),
      pushed('0123456', 'b'),
    );
    const execution = await execute(
      withoutRegistryReads(plan()),
      runner,
      { ...log, debug: (m) => debug.push(m) },
      undefined,
      undefined,
      NO_READS,
    );
    expect(execution.cache).toEqual({ cached: 4, steps: 4 });
    const starts = execution.phases.map((t) => t.start);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(execution.failedStep).toBeUndefined();
    expect(debug.filter((m) => m.startsWith('Command: '))).toHaveLength(5);
    expect(debug.join('\n')).toContain('Command: DOCKER_CONFIG=');
    expect(debug.join('\n')).not.toContain('hunter2');
  });

  it('a failing step is left in failedStep, with what ran before it', async () => {
    const execution = newRunRecord();
    const runner = new FakeRunner(result(0), result(0), built('sha256:feed'), result(1, ['denied']));
    await failure(execute(withoutRegistryReads(plan()), runner, log, execution, undefined, NO_READS));
    expect(execution.failedStep?.kind).toBe('push');
    expect(execution.imageId).toBe('sha256:feed');
    expect(execution.phases.map((t) => t.activity)).toEqual(['tests', 'login', 'build', 'push']);
  });
});

describe('execute: a moving tag that holds a newer image', () => {
  const VERSION = 'org.opencontainers.image.version';
  const REF = 'build-test-push-action.source-ref';
  const ours = { [VERSION]: '1.0.1', [REF]: 'refs/tags/v1.0.1' };

  function releasePlan(): Step[] {
    return makePlan({
      settings: settings(),
      engine: { buildx: true, serverVersion: '27.0.0' },
      references: [B, C],
      labels: ours,
      motions: new Map([[C, 'release']]),
      jobDir,
      dockerConfig: undefined,
      testContainer: 'build-test-push-in-image-1234',
    });
  }

  it('leaves it where it is: no push and no read-back of it; the other tags are pushed', async () => {
    const notices: string[] = [];
    const runner = new FakeRunner(built('sha256:feed'), pushed('0123456', 'a'));
    const options = reads(absent, held('c', { [VERSION]: '1.1.0', [REF]: 'refs/tags/v1.1.0' }), held('a'));
    const execution = await execute(
      releasePlan(),
      runner,
      {
        ...log,
        notice: (message) => {
          notices.push(message);
        },
      },
      undefined,
      undefined,
      options,
    );
    expect(execution.kept).toEqual([C]);
    expect(runner.commands.filter((command) => command.args[0] === 'push')).toEqual([
      expect.objectContaining({ args: ['push', B] }),
    ]);
    expect([...execution.digests]).toEqual([[B, digest('a')]]);
    expect(notices).toEqual([expect.stringContaining(`${C} stays at version 1.1.0`)]);
    expect(titles).not.toContain(`Push ${C}`);
  });

  it('moves it over an older version without the collision check', async () => {
    const runner = new FakeRunner(built('sha256:feed'), pushed('0123456', 'a'), pushed('latest', 'a'));
    const options = reads(
      absent,
      held('c', { [VERSION]: '1.0.0', [REF]: 'refs/tags/v1.0.0' }),
      held('a'),
      held('a'),
    );
    const execution = await execute(releasePlan(), runner, log, undefined, undefined, options);
    expect(execution.kept).toEqual([]);
    expect(infos).toContain(`${C} moves from version 1.0.0 to 1.0.1.`);
    expect([...execution.digests.keys()]).toEqual([B, C]);
  });
});
