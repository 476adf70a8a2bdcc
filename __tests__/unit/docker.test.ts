import { missingExecutable, meaningfulLine } from '../../src/docker/failure-lines.js';
import { EngineError, parseEngineInfo } from '../../src/docker/engine-info.js';
import { failingBuildStep, parseBuildMetadata } from '../../src/docker/build-output.js';
import { parsePushDigest } from '../../src/docker/push-output.js';
import { dockerLines, dockerOutput } from './helpers.js';

/** `docker info --format '{{json .}}'` prints one line; the fixtures are pretty-printed. */
const infoLine = (name: string) => JSON.stringify(JSON.parse(dockerOutput(name)));

describe('parseEngineInfo (real docker info output)', () => {
  it.each([
    ['with the buildx plugin', 'info-buildx.json', { buildx: true, serverVersion: '20.10.24+dfsg1' }],
    ['without plugins', 'info-no-buildx.json', { buildx: false, serverVersion: '20.10.24+dfsg1' }],
    [
      'buildx plugin entry with Err',
      'info-buildx-err.json',
      { buildx: false, serverVersion: '20.10.24+dfsg1' },
    ],
  ])('%s', (_label, file, engine) => {
    const stdout = infoLine(file);
    expect(parseEngineInfo(`${stdout}\n`, 0, [stdout])).toEqual(engine);
  });

  it.each([
    // Docker 28.5's DriverStatus, as `docker info` prints it for each image store.
    [
      'the containerd image store',
      [['driver-type', 'io.containerd.snapshotter.v1']],
      { containerdStore: true },
    ],
    [
      'overlay2',
      [
        ['Backing Filesystem', 'extfs'],
        ['Supports d_type', 'true'],
      ],
      {},
    ],
    ['no DriverStatus', null, {}],
  ])('%s', (_label, status, store) => {
    const info = JSON.stringify({ ServerVersion: '28.5.2', DriverStatus: status });
    expect(parseEngineInfo(info, 0, [])).toEqual({ buildx: false, serverVersion: '28.5.2', ...store });
  });

  it('ClientInfo.Plugins null: no buildx', () => {
    expect(parseEngineInfo('{"ServerVersion":"27.1.1","ClientInfo":{"Plugins":null}}', 0, [])).toEqual({
      buildx: false,
      serverVersion: '27.1.1',
    });
  });

  const down =
    'The Docker daemon is not reachable: Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running. Start Docker on this runner (or set DOCKER_HOST) before this step.';

  it.each([
    ['stdout line first', (json: string, err: string) => [json, err]],
    ['stderr line first', (json: string, err: string) => [err, json]],
  ])('daemon down (exit 1, ServerVersion ""): EngineError naming the daemon, %s', (_label, order) => {
    const stdout = infoLine('info-daemon-down.json');
    const stderr = dockerOutput('info-daemon-down.stderr.txt').trim();
    const attempt = () => parseEngineInfo(stdout, 1, order(stdout, stderr));
    expect(attempt).toThrow(EngineError);
    expect(attempt).toThrow(down);
  });

  it.each([
    ['exit 0 but no server version', '{"ServerVersion":""}', 0, [], 'docker info exited with 0'],
    ['nothing printed', '', 1, [], 'docker info exited with 1'],
    [
      'text instead of JSON',
      'Client: Docker Engine',
      1,
      ['Client: Docker Engine', 'error during connect: boom'],
      'error during connect: boom',
    ],
    ['ServerErrors without a tail', '{"ServerVersion":"","ServerErrors":["a","b."]}', 1, [], 'a; b'],
  ] as const)('%s → EngineError', (_label, stdout, exitCode, tail, reason) => {
    expect(() => parseEngineInfo(stdout, exitCode, tail)).toThrow(
      `The Docker daemon is not reachable: ${reason}. Start Docker on this runner (or set DOCKER_HOST) before this step.`,
    );
  });
});

describe('parsePushDigest (real docker push output)', () => {
  const digest = 'sha256:1945201e9965b1b438667e822cd8ec1f081976364adebafaf38ef1f7e8d76e14';

  it.each([
    ['the pushed tag', dockerLines('push-ok.txt'), 'feature-Login-Page', digest],
    ['another tag', dockerLines('push-ok.txt'), 'main', undefined],
    ['a tag that is a prefix', dockerLines('push-ok.txt'), 'feature', undefined],
    ['indented line', [`  main: digest: ${digest} size: 527`], 'main', digest],
    [
      'last match wins',
      [`main: digest: sha256:${'0'.repeat(64)} size: 1`, `main: digest: ${digest} size: 527`],
      'main',
      digest,
    ],
    ['a short digest', ['main: digest: sha256:abc size: 1'], 'main', undefined],
    ['failed push', dockerLines('push-refused.txt'), 'main', undefined],
    ['nothing', [], 'main', undefined],
  ])('%s', (_label, lines, tag, expected) => {
    expect(parsePushDigest(lines, tag)).toBe(expected);
  });
});

describe('meaningfulLine', () => {
  it.each([
    [
      'buildx COPY',
      'buildx-copy-missing.txt',
      'ERROR: failed to solve: failed to compute cache key: "/missing" not found: not found',
    ],
    [
      'buildx RUN',
      'buildx-run-exit-3.txt',
      'ERROR: failed to solve: executor failed running [/bin/sh -c echo "compiling the app" && exit 3]: exit code: 3',
    ],
    [
      'buildx 0.29 RUN, after its Dockerfile source block',
      'buildkit-source-block.txt',
      'ERROR: failed to build: failed to solve: process "/bin/sh -c echo \\"compiling\\" &&     exit 3" did not complete successfully: exit code: 3',
    ],
    [
      'classic COPY',
      'classic-copy-missing.txt',
      'COPY failed: file not found in build context or excluded by .dockerignore: stat missing: file does not exist',
    ],
    [
      'classic RUN',
      'classic-run-exit-3.txt',
      `The command '/bin/sh -c echo "compiling the app" && exit 3' returned a non-zero code: 3`,
    ],
    [
      'push refused',
      'push-refused.txt',
      'Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused',
    ],
  ])('%s', (_label, file, line) => {
    expect(meaningfulLine(dockerLines(file))).toBe(line);
  });

  it.each([
    [[], undefined],
    [['', '   '], undefined],
    [['first', '  last  ', ''], 'last'],
    [['unauthorized: authentication required', 'more noise'], 'unauthorized: authentication required'],
    [['error: one', 'Error response from daemon: two', 'tail'], 'Error response from daemon: two'],
  ])('%j → %j', (lines, expected) => {
    expect(meaningfulLine(lines)).toBe(expected);
  });
});

describe('failingBuildStep (real build output)', () => {
  it.each([
    ['buildx COPY', 'buildx-copy-missing.txt', '[1/1] COPY missing /'],
    ['buildx RUN', 'buildx-run-exit-3.txt', '[3/4] RUN echo "compiling the app" && exit 3'],
    ['buildx named stage', 'buildx-stage-fail.txt', '[build 2/2] RUN echo "npm test" && exit 1'],
    ['classic COPY', 'classic-copy-missing.txt', 'step 2/2: COPY missing /'],
    ['classic RUN', 'classic-run-exit-3.txt', 'step 3/4: RUN echo "compiling the app" && exit 3'],
    ['not a build', 'push-refused.txt', undefined],
  ])('%s', (_label, file, step) => {
    expect(failingBuildStep(dockerLines(file))).toBe(step);
  });
});

describe('parseBuildMetadata', () => {
  const digest = `sha256:${'e'.repeat(64)}`;
  it.each([
    [
      'buildx --push metadata',
      JSON.stringify({ 'containerimage.digest': digest, 'image.name': 'a:b' }),
      digest,
    ],
    ['no digest (nothing pushed)', JSON.stringify({ 'buildx.build.ref': 'default/default/x' }), undefined],
    ['not a digest', JSON.stringify({ 'containerimage.digest': 'sha256:xyz' }), undefined],
    ['not JSON', 'oops', undefined],
    ['empty', '', undefined],
    ['JSON null', 'null', undefined],
  ])('%s', (_label, text, expected) => {
    expect(parseBuildMetadata(text)).toBe(expected);
  });
});

describe('missingExecutable (real docker run output)', () => {
  it.each([
    [
      'docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory: unknown',
      '/bin/sh',
    ],
    [
      'docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "python3": executable file not found in $PATH: unknown.',
      'python3',
    ],
    ["cat: can't open '/app/config.yml': No such file or directory", undefined],
    ['sh: python: not found', undefined],
  ])('%s → %s', (line, program) => {
    expect(missingExecutable(["Run 'docker run --help' for more information", line])).toBe(program);
  });
});
