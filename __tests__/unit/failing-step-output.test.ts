import { failingStepOutput } from '../../src/docker/build-output.js';
import { dockerLines } from './helpers.js';

describe('failingStepOutput', () => {
  it.each([
    [
      'buildx, a RUN that filled /dev/shm: its error line, not its last',
      dockerLines('buildx-disk-full.txt'),
      "dd: error writing '/dev/shm/fill': No space left on device",
    ],
    [
      'classic, the same: the output before "returned a non-zero code", colours removed',
      dockerLines('classic-disk-full.txt'),
      "dd: error writing '/dev/shm/fill': No space left on device",
    ],
    ['buildx fixture', dockerLines('buildx-run-exit-3.txt'), 'compiling the app'],
    ['classic fixture', dockerLines('classic-run-exit-3.txt'), 'compiling the app'],
  ])('%s', (_name, lines, expected) => {
    expect(failingStepOutput(lines)).toBe(expected);
  });

  it.each([
    [
      'a step that printed nothing (buildx)',
      ['#6 [2/2] RUN false', '#6 ERROR: executor failed running [/bin/sh -c false]: exit code: 1'],
    ],
    [
      'a step that printed nothing (classic)',
      [
        'Step 2/2 : RUN false',
        ' ---> Running in 0b5',
        "The command '/bin/sh -c false' returned a non-zero code: 1",
      ],
    ],
    ['no failing step at all', ['ERROR: failed to solve: failed to read dockerfile']],
  ])('%s: undefined', (_name, lines) => {
    expect(failingStepOutput(lines)).toBeUndefined();
  });
});
