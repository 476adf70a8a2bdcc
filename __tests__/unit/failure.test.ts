import { BuildOutputCounter } from '../../src/docker/build-output.js';
import { StepError } from '../../src/shared/errors.js';
import { newRunRecord } from '../../src/record/run-record.js';
import { failureOf, type FailureContext } from '../../src/report/failure.js';
import { makePlan } from '../../src/plan/plan.js';
import { Secret } from '../../src/shared/secret.js';
import { dockerLines, settings } from './helpers.js';

const steps = makePlan({
  settings: settings({ testCommand: 'npm test' }),
  engine: { buildx: true, serverVersion: '27.0.0' },
  references: ['ghcr.io/acme/app:main'],
  labels: {},
  jobDir: '/tmp/job',
  dockerConfig: undefined,
  testContainer: 'build-test-push-in-image-test',
});
const step = (kind: string) => steps.find((s) => s.kind === kind);
const DOCKERFILE =
  'FROM unit-fixture/busybox:capture\nRUN echo preparing\nRUN echo "compiling the app" && exit 3\nUSER app\n';

function context(failed: string | undefined, file = '/ws/app/Dockerfile'): FailureContext {
  const record = newRunRecord();
  record.failedStep = failed === undefined ? undefined : step(failed);
  const secret = new Secret('hunter2');
  return {
    record,
    dockerfile: { file, text: DOCKERFILE },
    workspace: '/ws',
    redact: (text) => secret.redact(text),
  };
}

describe('failureOf', () => {
  it('an input error before anything ran: resolve, no exit code', () => {
    expect(failureOf(new Error('Input `image`: is required'), context(undefined))).toEqual({
      phase: 'resolve',
      message: 'Input `image`: is required',
      exitCode: undefined,
      output: [],
      location: undefined,
    });
  });

  it('failed tests: exit code and output, secrets removed', () => {
    const error = new StepError('Tests failed with exit code 3 (token hunter2)', 3, ['echo hunter2', 'FAIL']);
    expect(failureOf(error, context('test'))).toEqual({
      activity: 'tests',
      phase: 'tests',
      message: 'Tests failed with exit code 3 (token ***)',
      exitCode: 3,
      output: ['echo ***', 'FAIL'],
      location: undefined,
    });
  });

  it.each([
    ['buildx', 'buildx-run-exit-3.txt'],
    ['classic', 'classic-run-exit-3.txt'],
  ])('a failed %s build: the Dockerfile line, relative to the workspace', (_label, fixture) => {
    const failure = failureOf(new StepError('Build failed', 1, dockerLines(fixture)), context('build'));
    expect(failure).toMatchObject({
      phase: 'build',
      exitCode: 1,
      location: { file: 'app/Dockerfile', line: 3 },
    });
  });

  it('a classic step pushed out of the tail is still found through the counted output', () => {
    const ctx = context('build');
    const output = new BuildOutputCounter();
    [
      'Step 1/4 : FROM unit-fixture/busybox:capture',
      'Step 3/4 : RUN echo "compiling the app" && exit 3',
    ].forEach((line) => {
      output.add(line);
    });
    ctx.record.lastClassicStep = output.lastClassicStep();
    const tail = Array.from({ length: 200 }, (_, i) => `compiler line ${i}`);
    expect(failureOf(new StepError('Build failed', 1, tail), ctx).location).toEqual({
      file: 'app/Dockerfile',
      line: 3,
    });
  });

  it('a Dockerfile outside the workspace gets no location (an annotation could not point there)', () => {
    const failure = failureOf(
      new StepError('Build failed', 1, dockerLines('buildx-run-exit-3.txt')),
      context('build', '/elsewhere/Dockerfile'),
    );
    expect(failure.location).toBeUndefined();
  });

  it('a failed push', () => {
    expect(failureOf(new StepError('Push of x failed', 1, ['denied']), context('push'))).toMatchObject({
      phase: 'push',
      exitCode: 1,
      location: undefined,
    });
  });
});
