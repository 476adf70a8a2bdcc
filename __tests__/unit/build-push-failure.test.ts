import { buildAndPush, type PushingBuild } from '../../src/execute/build-push.js';
import { pushFailureLines } from '../../src/docker/build-push-failure.js';
import { result } from './helpers.js';

// The ends of real failed `buildx build --push` runs (Docker 28.5; plain progress).
const DOCKER_STORE = [
  '#6 [2/2] COPY hello.txt /app/hello.txt',
  '#6 DONE 0.2s',
  '#9 pushing 127.0.0.1:46237/e2e/app:main with docker',
  '#9 pushing layer 9eeb6e3c1fb1',
  '#9 pushing layer 9eeb6e3c1fb1 0.5s done',
  '#9 ERROR: received unexpected HTTP status: 503 Service Unavailable',
  '------',
  ' > pushing 127.0.0.1:46237/e2e/app:main with docker:',
  '------',
  'ERROR: failed to build: received unexpected HTTP status: 503 Service Unavailable',
];
const CONTAINERD_STORE = [
  '#6 [2/2] COPY hello.txt /app/hello.txt',
  '#6 CACHED',
  '#7 exporting to image',
  '#7 pushing layers 0.1s done',
  '#7 ERROR: failed to push 127.0.0.1:35895/e2e/app:main: unexpected status from PUT request to http://127.0.0.1:35895/v2/e2e/app/manifests/main: 503 Service Unavailable',
  'ERROR: failed to build: failed to solve: failed to push 127.0.0.1:35895/e2e/app:main: unexpected status from PUT request to http://127.0.0.1:35895/v2/e2e/app/manifests/main: 503 Service Unavailable',
];
const RUN_FAILED = [
  '#6 [2/2] RUN make',
  '#6 0.2s make: *** No rule to make target. Stop. 503 Service Unavailable',
  '#6 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
  ' > [2/2] RUN make:',
  'ERROR: failed to build: failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 2',
];

describe('pushFailureLines', () => {
  it.each([
    ['docker’s image store', DOCKER_STORE, 2],
    ['the containerd image store', CONTAINERD_STORE, 2],
  ])('a push that failed in %s: the push vertex on', (_name, lines, start) => {
    expect(pushFailureLines(lines)).toEqual(lines.slice(start).map((line) => line.trim()));
  });

  it('a build that failed in a RUN step did not push, whatever its output says', () => {
    expect(pushFailureLines(RUN_FAILED)).toBeUndefined();
  });
});

describe('buildAndPush', () => {
  const step = {
    kind: 'build',
    title: 'Build',
    output: 'push',
    pushes: ['r.io/app:main'],
    command: { program: 'docker', args: ['buildx', 'build'] },
  } as unknown as PushingBuild;
  const retries = (messages: string[]) => ({
    policy: { retries: 2, baseDelayMs: 10, maxDelayMs: 10 },
    sleep: () => Promise.resolve(),
    random: () => 0,
    info: (message: string) => {
      messages.push(message);
    },
  });

  it('runs the build again while its push fails for a passing reason', async () => {
    const answers = [result(1, DOCKER_STORE), result(1, CONTAINERD_STORE), result(0, ['#10 DONE'])];
    const messages: string[] = [];
    const last = await buildAndPush(
      step,
      () => Promise.resolve(answers.shift() ?? result(9)),
      retries(messages),
    );
    expect(last.exitCode).toBe(0);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(
      /^Push of r\.io\/app:main by buildx failed \(attempt 1 of 3\): .*503 Service Unavailable\. Retrying in/,
    );
  });

  it('a build failure is not retried: it goes back to the build check', async () => {
    const messages: string[] = [];
    const last = await buildAndPush(step, () => Promise.resolve(result(1, RUN_FAILED)), retries(messages));
    expect(last.exitCode).toBe(1);
    expect(messages).toEqual([]);
  });

  it('a push that keeps failing throws, saying how often it was tried', async () => {
    await expect(
      buildAndPush(step, () => Promise.resolve(result(1, DOCKER_STORE)), retries([])),
    ).rejects.toThrow(/Push of r\.io\/app:main by buildx failed after 3 attempts: .*503 Service Unavailable/);
  });
});
