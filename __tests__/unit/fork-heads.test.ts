import {
  FORK_HEAD_FIXTURES,
  type ForkHeadFixtureName,
  githubContextOf,
  loadRunnerFixture,
  refContextOf,
} from '../../__fixtures__/runner.js';
import { settingsWith } from '../../__fixtures__/inputs.js';
import { toRefContext } from '../../src/context/ref-context.js';
import { collisionPolicy } from '../../src/tags/fork-rules.js';
import { sourceRef } from '../../src/tags/labels.js';
import { resolveTags } from '../../src/tags/resolve-tags.js';

const NOW = new Date('2026-11-28T23:59:59Z');

/** What each event that is no pull-request event gives, by what the workspace holds. */
const expected: Record<
  ForkHeadFixtureName,
  { tags: string[]; label: string; policy: string } | { error: RegExp }
> = {
  // pull_requests is empty for a fork's run: nothing tells its tags from the base branch's.
  'workflow-run-fork': {
    error:
      /"workflow_run" event builds code of outsider\/webapp, a fork, and its payload names no pull request/,
  },
  'workflow-run-fork-base-checkout': { tags: ['main'], label: 'refs/heads/main', policy: 'fail' },
  'workflow-run-same-repo': { tags: ['main'], label: 'refs/heads/main', policy: 'fail' },
  // The payload names the pull request, not its head: what is not the run's own commit is its code.
  'issue-comment-pull-request': {
    tags: ['pr-43'],
    label: 'refs/pull/43/merge',
    policy: 'fork-pull-request',
  },
  'issue-comment-base-checkout': {
    tags: ['main'],
    label: 'refs/heads/main',
    policy: 'fail',
  },
};

describe('a fork’s code on events that are not pull-request events', () => {
  it('has a row for every fixture', () => {
    expect(Object.keys(expected).sort()).toEqual([...FORK_HEAD_FIXTURES].sort());
  });

  it.each(FORK_HEAD_FIXTURES.map((name) => [name, expected[name]] as const))('%s', (name, want) => {
    const context = refContextOf(name);
    const settings = settingsWith({});
    if ('error' in want) {
      expect(() => resolveTags(settings, context, NOW)).toThrow(want.error);
      expect(() => sourceRef(context)).toThrow(want.error);
      return;
    }
    const tags = resolveTags(settings, context, NOW).tags.map(({ tag }) => tag);
    expect(tags).toEqual(want.tags);
    expect(sourceRef(context)).toBe(want.label);
    expect(collisionPolicy('fail', context)).toBe(want.policy);
  });

  it.each([
    ['issue-comment-pull-request', 'pr-43'],
    ['workflow-run-fork', 'error'],
  ] as const)('%s: a HEAD git could not read counts as the pull request’s code', (name, outcome) => {
    const fixture = loadRunnerFixture(name);
    const context = toRefContext(githubContextOf(fixture), { branch: undefined, commitTime: undefined });
    const settings = settingsWith({});
    if (outcome === 'error') expect(() => resolveTags(settings, context, NOW)).toThrow(/a fork/);
    else expect(resolveTags(settings, context, NOW).tags.map(({ tag }) => tag)).toEqual([outcome]);
  });

  it('a fork’s workflow_run that names its pull request is tagged as that pull request, strictly', () => {
    const fixture = loadRunnerFixture('workflow-run-fork');
    const run = fixture.event.workflow_run as Record<string, unknown>;
    const payload = {
      ...fixture.event,
      workflow_run: { ...run, pull_requests: [{ number: 43, base: { ref: 'main' } }] },
    };
    const context = toRefContext({ ...githubContextOf(fixture), payload }, fixture.git);
    expect(
      resolveTags(settingsWith({ tag: '{ref}\n{branch}' }), context, NOW).tags.map(({ tag }) => tag),
    ).toEqual(['pr-43', 'pr-43-main']);
    expect(sourceRef(context)).toBe('refs/pull/43/merge');
    expect(collisionPolicy('overwrite', context)).toBe('fork-pull-request');
  });
});
