// Issue 16: a pull request (a fork's above all) must never push over a tag the base repository's
// branches own. Every pull-request event × every kind of template, against what a push to the base
// branch `main` tags and labels with the same inputs.
import { refContextOf } from '../../__fixtures__/runner.js';
import { settingsWith } from '../../__fixtures__/inputs.js';
import type { RefContext } from '../../src/context/ref-context.js';
import { judgeCollision } from '../../src/execute/collisions.js';
import type { OnCollision } from '../../src/inputs/settings.js';
import { collisionPolicy } from '../../src/tags/fork-rules.js';
import { imageLabels, SOURCE_REF_LABEL } from '../../src/tags/labels.js';
import { resolveTags } from '../../src/tags/resolve-tags.js';
import { TagError } from '../../src/tags/tags.js';

const NOW = new Date('2026-11-28T12:00:00Z');

/** Pull request #43 from a fork whose branch is `main`, under each pull-request event. */
const fork = refContextOf('pull-request-fork');
const EVENTS: [string, RefContext][] = [
  ['pull_request from a fork', fork],
  ['pull_request_target from a fork', refContextOf('pull-request-target-fork')],
  ['pull_request_review from a fork', { ...fork, eventName: 'pull_request_review' }],
  ['pull_request_review_comment from a fork', { ...fork, eventName: 'pull_request_review_comment' }],
  [
    'pull_request from the same repository, head branch main',
    {
      ...refContextOf('pull-request'),
      pullRequest: { number: 43, headRef: 'main', baseRef: 'develop', fromFork: false },
    },
  ],
];

const TEMPLATES = [
  '{ref}',
  '{branch}',
  '{pr}',
  '{sha}',
  '{short-sha}',
  '{run-number}',
  '{date}',
  'br-{branch}',
  '{branch}-{short-sha}',
  'main',
  'latest',
];

/** What a push to the base repository's `main` tags and labels with the same inputs. */
const base = refContextOf('push-default-branch');
function baseTags(tag: string, latest: string): Set<string> {
  try {
    return new Set(resolveTags(settingsWith({ tag, latest }), base, NOW).tags.map((t) => t.tag));
  } catch {
    return new Set(); // `{pr}` alone: a push tags nothing
  }
}
const baseLabels = imageLabels(base, 'main', {});

const rows = EVENTS.flatMap(([event, context]) =>
  TEMPLATES.flatMap((tag) => ['false', 'true'].map((latest) => [event, tag, latest, context] as const)),
);

describe.each(EVENTS)('%s', (_event, context) => {
  it('labels the image with the pull request, never with the base branch', () => {
    expect(imageLabels(context, 'pr-43', {})[SOURCE_REF_LABEL]).toBe('refs/pull/43/merge');
  });

  it.each(TEMPLATES)('%s never renders `main`, and {branch} is pr-43-<head branch>', (tag) => {
    const tags = resolveTags(settingsWith({ tag, latest: 'false' }), context, NOW).tags.map((t) => t.tag);
    if (tag !== 'main') expect(tags).not.toContain('main');
    if (tag.includes('{branch}')) expect(tags.every((t) => t.includes('pr-43-main'))).toBe(true);
  });
});

describe('a pull request never pushes over a tag of the base branch', () => {
  it.each(rows)('%s, tag %s, latest %s', (_event, tag, latest, context) => {
    const ours = imageLabels(context, 'x', {});
    const owned = baseTags(tag, latest);
    const policies: OnCollision[] =
      context.pullRequest?.fromFork === true ? ['fail', 'warn', 'overwrite'] : ['fail'];
    for (const tagged of resolveTags(settingsWith({ tag, latest }), context, NOW).tags) {
      if (!owned.has(tagged.tag)) continue;
      // The base branch pushed this tag first; the pull request's push would land on it.
      for (const onCollision of policies) {
        const verdict = judgeCollision(
          `ghcr.io/acme/webapp:${tagged.tag}`,
          { digest: 'sha256:base', labels: baseLabels },
          ours,
          collisionPolicy(onCollision, context),
        );
        expect(verdict.action).toBe('fail');
      }
    }
  });

  it('a fork’s pull request is judged strictly whatever on-collision says; a same-repository one by on-collision', () => {
    for (const [, context] of EVENTS) {
      const expected = context.pullRequest?.fromFork === true ? 'fork-pull-request' : 'overwrite';
      expect(collisionPolicy('overwrite', context)).toBe(expected);
    }
    expect(collisionPolicy('overwrite', base)).toBe('overwrite');
  });
});

describe('a pull-request event without a pull request number', () => {
  it.each(['pull_request', 'pull_request_target'])(
    '%s fails instead of tagging the git branch',
    (eventName) => {
      const context: RefContext = {
        ...refContextOf('pull-request-target-fork'),
        eventName,
        pullRequest: undefined,
      };
      expect(() => resolveTags(settingsWith({}), context, NOW)).toThrow(TagError);
      expect(() => resolveTags(settingsWith({}), context, NOW)).toThrow(/names no pull request number/);
    },
  );
});
