import { judgeCollision } from '../../src/execute/collisions.js';
import { REVISION_LABEL, SOURCE_REF_LABEL } from '../../src/tags/labels.js';

const REF = 'r/app:feature-a';
const DIGEST = `sha256:${'1'.repeat(64)}`;
const ours = { [SOURCE_REF_LABEL]: 'refs/heads/feature/a', [REVISION_LABEL]: 'c1' };
const image = (labels: Record<string, string> | undefined) => ({ digest: DIGEST, labels });
const other = image({ [SOURCE_REF_LABEL]: 'refs/heads/feature-a', [REVISION_LABEL]: 'c0' });

describe('judgeCollision', () => {
  it.each([
    ['no tag yet', undefined, 'fail', { action: 'push' }],
    [
      'same ref',
      image({ [SOURCE_REF_LABEL]: 'refs/heads/feature/a', [REVISION_LABEL]: 'c0' }),
      'fail',
      { action: 'push' },
    ],
    [
      'other ref, same commit',
      image({ [SOURCE_REF_LABEL]: 'refs/heads/feature-a', [REVISION_LABEL]: 'c1' }),
      'fail',
      { action: 'push' },
    ],
    [
      'other ref, fail',
      other,
      'fail',
      {
        action: 'fail',
        message:
          'Tag collision: r/app:feature-a was built from "refs/heads/feature-a", this run is "refs/heads/feature/a": both give the same tag. Nothing was pushed. Rename one of the refs, add a tag template that tells them apart, or set `on-collision` to warn or overwrite.',
      },
    ],
    [
      'other ref, warn',
      other,
      'warn',
      {
        action: 'push',
        warning:
          'Tag collision: r/app:feature-a was built from "refs/heads/feature-a", this run is "refs/heads/feature/a": both give the same tag; overwriting it (on-collision: warn).',
      },
    ],
    [
      'other ref, overwrite',
      other,
      'overwrite',
      {
        action: 'push',
        info: 'r/app:feature-a was built from "refs/heads/feature-a", this run is "refs/heads/feature/a": both give the same tag; overwriting it (on-collision: overwrite).',
      },
    ],
    [
      'image without the label',
      image({ 'org.opencontainers.image.title': 'x' }),
      'fail',
      {
        action: 'push',
        notice: `r/app:feature-a exists without a ${SOURCE_REF_LABEL} label (pushed before this action was used); overwriting it.`,
      },
    ],
    [
      'labels unreadable',
      image(undefined),
      'fail',
      {
        action: 'push',
        notice: `r/app:feature-a exists (${DIGEST}), but its labels could not be read, so it is overwritten unchecked.`,
      },
    ],
  ] as const)('%s (%s)', (_name, existing, policy, verdict) => {
    expect(judgeCollision(REF, existing, ours, policy)).toEqual(verdict);
  });
});
