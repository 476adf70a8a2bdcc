import { judgeCollision, judgeUnreadable } from '../../src/execute/collisions.js';
import type { CollisionPolicy } from '../../src/tags/fork-rules.js';
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
  ] as const)('%s (%s)', (_name, existing, policy, verdict) => {
    expect(judgeCollision(REF, existing, ours, policy)).toEqual(verdict);
  });
});

describe('a tag whose owner cannot be told', () => {
  const unreadableLabels = (policy: CollisionPolicy) => judgeCollision(REF, image(undefined), ours, policy);
  const unreadableTag = (policy: CollisionPolicy) => judgeUnreadable(REF, 'HTTP 403', policy);

  it.each([
    ['labels unreadable', unreadableLabels],
    ['tag unreadable', unreadableTag],
  ])('%s: on-collision: fail does not push over it, and says how to override', (_name, judge) => {
    const verdict = judge('fail');
    expect(verdict.action).toBe('fail');
    expect(verdict.action === 'fail' ? verdict.message : '').toMatch(
      /cannot tell whose image the tag holds\. Nothing was pushed: with `on-collision: fail` such a tag is not pushed over\. .*set `on-collision` to warn/,
    );
  });

  it.each([
    ['labels unreadable', unreadableLabels, 'warn'],
    ['labels unreadable', unreadableLabels, 'overwrite'],
    ['tag unreadable', unreadableTag, 'warn'],
    ['tag unreadable', unreadableTag, 'overwrite'],
  ] as const)('%s: on-collision: %s pushes with a warning', (_name, judge, policy) => {
    const verdict = judge(policy);
    expect(verdict.action).toBe('push');
    expect(verdict.action === 'push' ? verdict.warning : '').toContain(
      `pushing without the tag collision check (on-collision: ${policy})`,
    );
  });
});

describe('a pull request from a fork (policy fork-pull-request)', () => {
  const pr = { [SOURCE_REF_LABEL]: 'refs/pull/43/merge', [REVISION_LABEL]: 'base-sha' };
  const main = (labels: Record<string, string>) => image(labels);

  it.each([
    ['no tag yet', undefined, 'push'],
    [
      'its own earlier build',
      main({ [SOURCE_REF_LABEL]: 'refs/pull/43/merge', [REVISION_LABEL]: 'x' }),
      'push',
    ],
    [
      'the base branch’s image',
      main({ [SOURCE_REF_LABEL]: 'refs/heads/main', [REVISION_LABEL]: 'c0' }),
      'fail',
    ],
    // On pull_request_target the run's commit is the base branch's: the same-commit exception must not apply.
    [
      'the base branch’s image of the same commit',
      main({ [SOURCE_REF_LABEL]: 'refs/heads/main', [REVISION_LABEL]: 'base-sha' }),
      'fail',
    ],
    ['an image without the source-ref label', main({ [REVISION_LABEL]: 'c0' }), 'fail'],
    ['an image whose labels cannot be read', image(undefined), 'fail'],
  ] as const)('%s → %s', (_name, existing, action) => {
    const verdict = judgeCollision('r/app:main', existing, pr, 'fork-pull-request');
    expect(verdict.action).toBe(action);
    if (verdict.action === 'fail') expect(verdict.message).toContain('whatever `on-collision` says');
  });

  it('an unreadable tag is not pushed over', () => {
    expect(judgeUnreadable('r/app:main', 'HTTP 500', 'fork-pull-request')).toMatchObject({ action: 'fail' });
  });
});
