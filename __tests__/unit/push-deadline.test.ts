import { setTimeout as sleep } from 'node:timers/promises';
import { buildAndPush, type PushingBuild } from '../../src/execute/build-push.js';
import {
  cacheExportVertex,
  pushedManifestDigest,
  pushingVertex,
  vertexDone,
} from '../../src/docker/build-push-failure.js';
import { withPushDeadline } from '../../src/execute/push-deadline.js';
import type { CommandResult, RunOptions } from '../../src/shared/command.js';
import { result } from './helpers.js';

describe('cacheExportVertex and pushedManifestDigest', () => {
  it.each([
    ['the export', '#10 exporting cache to registry', '10'],
    ['its next line', '#10 preparing build cache for export', undefined],
    ['the image export', '#9 exporting to image', undefined],
    ['a RUN step that prints it', '#6 0.512 exporting cache to registry', undefined],
  ])('%s: %s', (_what, line, vertex) => {
    expect(cacheExportVertex(line)).toBe(vertex);
  });

  it('the digest of the last manifest pushed', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(
      pushedManifestDigest([
        '#7 pushing layers 0.1s done',
        `#7 pushing manifest for r.io/app:main@${digest}`,
        `#7 pushing manifest for r.io/app:main@${digest} 0.1s done`,
        '#8 exporting cache to registry',
      ]),
    ).toBe(digest);
    expect(pushedManifestDigest(['#7 pushing layers'])).toBeUndefined();
  });
});

describe('pushingVertex', () => {
  // Lines of real `buildx build --push` runs (plain progress) that stalled: Docker 28.5 + buildx 0.29,
  // and Docker 20.10 + buildx 0.13, which prints the same.
  it.each([
    [
      'buildx 0.13, docker’s image store',
      '#9 pushing 127.0.0.1:45433/e2e/stall-build-mxcqxm9b8eoa:main with docker',
    ],
    ['docker’s image store', '#9 pushing 127.0.0.1:46237/e2e/app:main with docker'],
    ['docker’s image store, a layer', '#9 pushing layer 9eeb6e3c1fb1'],
    ['the containerd image store, a stalled blob', '#7 pushing layers'],
    ['the containerd image store, finished at once', '#8 pushing layers 0.1s done'],
    [
      'the containerd image store, a stalled manifest',
      '#7 pushing manifest for 127.0.0.1:32881/e2e/stall-build-mxcqtyqrdruh:main@sha256:345d77be4a7e214a0d02a05bb40802d2f15ab35e2f9c55a22110ee54bc96ba01',
    ],
  ])('%s: %s', (_where, line) => {
    expect(pushingVertex(line)).toBe(/^#(\d+)/.exec(line)?.[1]);
  });

  it.each([
    ['a build step', '#6 [2/2] COPY hello.txt /app/hello.txt'],
    ['the export before the push', '#7 exporting to image'],
    ['the layers export', '#7 exporting layers 0.4s done'],
    ['the local name', '#7 naming to 127.0.0.1:32881/e2e/stall-build-fail-mxcqu7j4c4tr:main done'],
    ['the unpacking', '#7 unpacking to 127.0.0.1:32881/e2e/stall-build-fail-mxcqu7j4c4tr:main 0.1s done'],
    ['a RUN step that prints the word', '#6 0.512 pushing layers to the moon'],
    ['the error echo', ' > pushing 127.0.0.1:46237/e2e/app:main with docker:'],
  ])('not %s: %s', (_what, line) => {
    expect(pushingVertex(line)).toBeUndefined();
  });

  it('the push is over at its vertex’s DONE, not another’s', () => {
    expect(vertexDone('#7 DONE 5.3s', '7')).toBe(true);
    expect(vertexDone('#70 DONE 0.1s', '7')).toBe(false);
    expect(vertexDone('#8 DONE 0.0s', '7')).toBe(false);
    expect(vertexDone('#7 pushing layers 5.2s done', '7')).toBe(false);
  });
});

/**
 * A build that prints `lines`, then runs until its session is ended (`ended`) or `runMs` passed,
 * exiting with `exitCode`, or 143 when it was ended.
 */
function fakeBuild(lines: string[], runMs: number, exitCode = 0) {
  const ends: string[] = [];
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const end = (sessionFile: string): Promise<void> => {
    ends.push(sessionFile);
    stop();
    return Promise.resolve();
  };
  const run = async (options: RunOptions): Promise<CommandResult> => {
    for (const line of lines) options.onLine?.(line);
    const outcome = await Promise.race([
      stopped.then(() => 'ended'),
      sleep(runMs, undefined, { ref: false }).then(() => 'done'),
    ]);
    return result(outcome === 'ended' ? 143 : exitCode, lines);
  };
  return { ends, end, run };
}

const DEADLINE = { pushSeconds: 0.05, sessionFile: '/tmp/job/build-session' };

describe('withPushDeadline', () => {
  it('the build before the push has no deadline, however long it runs', async () => {
    const build = fakeBuild(['#5 [1/2] FROM base', '#6 [2/2] RUN make', '#7 exporting to image'], 200);
    const done = await withPushDeadline(DEADLINE, {}, build.run, build.end);
    expect(done).toEqual(result(0, ['#5 [1/2] FROM base', '#6 [2/2] RUN make', '#7 exporting to image']));
    expect(build.ends).toEqual([]);
  });

  it('a push that runs past the deadline: its session is ended, and the attempt timed out', async () => {
    const build = fakeBuild(['#7 exporting to image', '#7 pushing layers'], 10_000);
    const started = Date.now();
    const done = await withPushDeadline(DEADLINE, {}, build.run, build.end);
    expect(build.ends).toEqual(['/tmp/job/build-session']);
    expect(done.timedOut).toBe(true);
    expect(done.exitCode).toBe(143);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a push that ends within the deadline is left alone', async () => {
    const build = fakeBuild(['#7 pushing layers', '#7 pushing layers 0.1s done'], 10, 0);
    const done = await withPushDeadline({ ...DEADLINE, pushSeconds: 1 }, {}, build.run, build.end);
    expect(done.timedOut).toBeUndefined();
    expect(build.ends).toEqual([]);
    await sleep(1_100); // the deadline would have passed by now: it was cleared
    expect(build.ends).toEqual([]);
  });

  it('a push that is DONE is over: a slow cache export after it is not a push', async () => {
    const build = fakeBuild(['#7 pushing layers', '#7 DONE 0.3s', '#8 exporting cache to registry'], 200);
    const done = await withPushDeadline(DEADLINE, {}, build.run, build.end);
    expect(build.ends).toEqual([]);
    expect(done.timedOut).toBeUndefined();
    expect(done.cacheExportStopped).toBeUndefined();
  });

  // Lines of a real stalled export: Docker 28.5 (containerd image store) + buildx 0.29, `--load`.
  const STALLED_EXPORT = [
    '#9 exporting to image',
    '#9 naming to 127.0.0.1:40911/e2e/app:main done',
    '#9 DONE 0.2s',
    '#10 exporting cache to registry',
    '#10 preparing build cache for export',
  ];

  it('a cache export that runs past its deadline: the session is ended, and the result says so', async () => {
    const build = fakeBuild(STALLED_EXPORT, 10_000);
    const done = await withPushDeadline(
      { cacheExportSeconds: 0.05, sessionFile: DEADLINE.sessionFile },
      {},
      build.run,
      build.end,
    );
    expect(build.ends).toEqual(['/tmp/job/build-session']);
    expect(done.cacheExportStopped).toBe(true);
    expect(done.timedOut).toBeUndefined();
  });

  it('a cache export has no deadline of its own unless given one', async () => {
    const build = fakeBuild(STALLED_EXPORT, 200);
    const done = await withPushDeadline(DEADLINE, {}, build.run, build.end);
    expect(build.ends).toEqual([]);
    expect(done).toEqual(result(0, STALLED_EXPORT));
  });

  it('a push and then a cache export, each within its own deadline, are left alone', async () => {
    const lines = ['#7 pushing layers', '#7 DONE 0.1s', '#8 exporting cache to registry', '#8 DONE 0.1s'];
    const build = fakeBuild(lines, 200);
    const done = await withPushDeadline({ ...DEADLINE, cacheExportSeconds: 0.05 }, {}, build.run, build.end);
    expect(build.ends).toEqual([]);
    expect(done).toEqual(result(0, lines));
  });

  it('each push gets its own time: a second one that stalls is stopped', async () => {
    const build = fakeBuild(
      ['#9 pushing r.io/a:main with docker', '#9 DONE 0.2s', '#10 pushing r.io/a:sha with docker'],
      10_000,
    );
    const done = await withPushDeadline(DEADLINE, {}, build.run, build.end);
    expect(build.ends).toHaveLength(1);
    expect(done.timedOut).toBe(true);
  });

  it('a build that succeeded as the deadline came keeps its success', async () => {
    const ends: string[] = [];
    const done = await withPushDeadline(
      DEADLINE,
      {},
      async (options) => {
        options.onLine?.('#7 pushing manifest for r.io/app:main');
        await sleep(150);
        return result(0);
      },
      (file) => {
        ends.push(file);
        return Promise.resolve();
      },
    );
    expect(ends).toHaveLength(1);
    expect(done).toEqual(result(0));
  });

  it('hands every line on to the caller’s listener', async () => {
    const heard: string[] = [];
    const build = fakeBuild(['#6 DONE 0.1s', '#7 pushing layers'], 1);
    await withPushDeadline(DEADLINE, { onLine: (line) => heard.push(line) }, build.run, build.end);
    expect(heard).toEqual(['#6 DONE 0.1s', '#7 pushing layers']);
  });
});

describe('buildAndPush with a push deadline', () => {
  const step = {
    kind: 'build',
    title: 'Build',
    output: 'push',
    pushes: ['r.io/app:main'],
    pushTimeoutSeconds: 5,
    command: { program: 'docker', args: ['buildx', 'build'] },
  } as unknown as PushingBuild;
  // What buildx printed before it was stopped mid-push: no error line at all.
  const stopped: CommandResult = {
    ...result(143, ['#7 exporting to image', '#7 pushing layers']),
    timedOut: true,
  };
  const retries = (messages: string[]) => ({
    policy: { retries: 1, baseDelayMs: 10, maxDelayMs: 10 },
    sleep: () => Promise.resolve(),
    random: () => 0,
    info: (message: string) => {
      messages.push(message);
    },
  });

  it('a timed-out attempt is retried with docker push’s wording', async () => {
    const answers = [stopped, result(0)];
    const messages: string[] = [];
    const last = await buildAndPush(
      step,
      () => Promise.resolve(answers.shift() ?? result(9)),
      retries(messages),
    );
    expect(last.exitCode).toBe(0);
    expect(messages).toEqual([
      expect.stringMatching(
        /^Push of r\.io\/app:main by buildx failed \(attempt 1 of 2\): no progress: the push was stopped after 5 s\. Retrying in/,
      ),
    ]);
  });

  it('every attempt timed out: throws, saying so', async () => {
    await expect(buildAndPush(step, () => Promise.resolve(stopped), retries([]))).rejects.toThrow(
      'Push of r.io/app:main by buildx failed after 2 attempts: no progress: the push was stopped after 5 s',
    );
  });
});
