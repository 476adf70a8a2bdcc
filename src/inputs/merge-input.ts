import { platformsInput } from './build-inputs.js';
import { InputError } from '../shared/errors.js';
import type { InputName, RawInputs } from './input-names.js';
import type { Merge } from './settings.js';

/** Inputs a merge job has no use for: the platform jobs built and tested the images. */
const BUILD_ONLY: readonly InputName[] = [
  'test-command',
  'test-in-image',
  'platforms',
  'build-args',
  'target',
];

/**
 * `merge`: empty, `later`, or the platforms to join (comma-separated or one a line). Both forms
 * push, so `push: false` is refused; `later` needs the platforms this job builds, since the merge
 * job finds each image by its platform. Inputs a merge job ignores are named in a notice.
 */
export function parseMergeInput(
  raw: RawInputs,
  settings: { push: boolean; platforms: string[] },
  notices: string[],
): Merge | undefined {
  const text = raw.merge.trim();
  if (text === '') return undefined;
  if (!settings.push) {
    throw new InputError(
      'merge',
      'pushes images (per platform with `later`, the index otherwise), so it cannot go with `push: false`; remove one of the two',
    );
  }
  if (text.toLowerCase() === 'later') {
    if (settings.platforms.length === 0) {
      throw new InputError(
        'platforms',
        'is empty, but `merge: later` needs the platform this job builds, e.g. linux/arm64: the merge job finds each image by it',
      );
    }
    return { kind: 'later' };
  }
  const platforms = platformsInput(raw, 'merge');
  const ignored = BUILD_ONLY.filter((name) => raw[name].trim() !== '');
  if (ignored.length > 0) {
    notices.push(
      `This job merges images the \`merge: later\` jobs built and tested; it builds nothing, so ${ignored.map((name) => `\`${name}\``).join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not used here.`,
    );
  }
  return { kind: 'platforms', platforms };
}
