import { jest } from '@jest/globals';
import {
  failureAnnotation,
  ignoredInputsWarnings,
  unknownInputs,
  unknownInputsWarning,
} from '../../src/report/annotations.js';
import { undeclaredBuildArgs } from '../../src/plan/dockerfile-model.js';
import { INPUT_NAMES } from '../../src/inputs/input-names.js';
import { emit } from '../../src/report/run-report.js';
import type { Failure } from '../../src/record/run-record.js';

/** What emit() writes to stdout, where the runner reads workflow commands. */
function commandsOf(emitting: () => void): string {
  let written = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += chunk.toString();
    return true;
  });
  try {
    emitting();
  } finally {
    spy.mockRestore();
  }
  return written;
}

const failure = (overrides: Partial<Failure>): Failure => ({
  phase: 'build',
  message: 'Build failed',
  exitCode: 1,
  output: [],
  location: undefined,
  ...overrides,
});

describe('annotation commands, byte for byte', () => {
  it.each([
    [
      'failed build on its Dockerfile line',
      failure({
        message:
          'Build failed at step 3/4: RUN make: The command returned a non-zero code: 2; nothing was pushed.',
        location: { file: 'app/Dockerfile', line: 3 },
      }),
      '::error file=app/Dockerfile,line=3::Build failed at step 3/4: RUN make: The command returned a non-zero code: 2; nothing was pushed.\n',
    ],
    [
      'failed build whose line is unknown',
      failure({ message: 'Build failed: exit code 125; nothing was pushed.' }),
      '::error::Build failed: exit code 125; nothing was pushed.\n',
    ],
    [
      'failed tests, with their exit code and last lines',
      failure({
        phase: 'tests',
        exitCode: 3,
        message: 'Tests failed with exit code 3; last lines:\n1 failed, 50% done',
      }),
      '::error title=Tests failed with exit code 3::Tests failed with exit code 3; last lines:%0A1 failed, 50%25 done\n',
    ],
    [
      'failed test inside the image, with its exit code',
      failure({
        phase: 'test in image',
        exitCode: 1,
        message: 'Test inside the image failed with exit code 1; nothing was pushed.',
      }),
      '::error title=Test inside the image failed with exit code 1::Test inside the image failed with exit code 1; nothing was pushed.\n',
    ],
    [
      'failed login',
      failure({ phase: 'login', message: 'Login to ghcr.io failed: unauthorized' }),
      '::error::Login to ghcr.io failed: unauthorized\n',
    ],
    [
      'a file name with a comma and a colon is escaped',
      failure({ location: { file: 'a,b:c/Dockerfile', line: 1 } }),
      '::error file=a%2Cb%3Ac/Dockerfile,line=1::Build failed\n',
    ],
  ])('%s', (_label, recorded, command) => {
    expect(
      commandsOf(() => {
        emit(failureAnnotation(recorded));
      }),
    ).toBe(command);
  });

  it('unknown inputs: one warning naming them all', () => {
    const env = {
      INPUT_IMAGE: 'x',
      INPUT_PUSSH: 'false',
      'INPUT_BUILD-ARG': 'A=1',
      'INPUT_DRY-RUN': 'true',
      PATH: '/bin',
    };
    const unknown = unknownInputs(env, INPUT_NAMES);
    expect(unknown).toEqual(['build-arg', 'pussh']);
    expect(
      commandsOf(() => {
        unknownInputsWarning(unknown, ['image', 'push']).forEach(emit);
      }),
    ).toBe(
      '::warning title=Unknown input::Unknown inputs `build-arg`, `pussh`: this action does not read them. Known inputs: `image`, `push`.\n',
    );
  });

  it('ignored inputs: credentials in a dry run, build-args no ARG declares', () => {
    const warnings = ignoredInputsWarnings({ credentialsInDryRun: true, undeclaredBuildArgs: ['VERSON'] });
    expect(
      commandsOf(() => {
        warnings.forEach(emit);
      }),
    ).toBe(
      '::warning title=Ignored input::`username`, `password` and `registry-auth` are ignored with `dry-run: true`: a dry run logs in nowhere.\n' +
        '::warning title=Ignored input::`build-args` `VERSON` is not declared by any ARG in the Dockerfile, so the build ignores it. Add `ARG <name>` where it is used, or remove it.\n',
    );
  });

  it('nothing to warn about: no command', () => {
    expect(unknownInputs({ INPUT_IMAGE: 'x', 'INPUT_TEST-COMMAND': '' }, INPUT_NAMES)).toEqual([]);
    expect(unknownInputsWarning([], INPUT_NAMES)).toEqual([]);
    expect(ignoredInputsWarnings({ credentialsInDryRun: false, undeclaredBuildArgs: [] })).toEqual([]);
  });
});

describe('undeclaredBuildArgs', () => {
  const dockerfile = 'ARG BASE=busybox\nFROM $BASE\nARG VERSION\nARG A=1 B\nRUN echo $VERSION\n';
  it.each([
    [[], []],
    [['VERSION=1', 'BASE=alpine', 'A=x', 'B=y'], []],
    [['VERSON=1', 'VERSION=2', 'VERSON=3'], ['VERSON']],
    [['HTTP_PROXY=http://p', 'no_proxy=x', 'BUILDKIT_INLINE_CACHE=1'], []],
    [['version=1'], ['version']],
  ])('%j → %j', (args, unused) => {
    expect(undeclaredBuildArgs(dockerfile, args)).toEqual(unused);
  });
});
