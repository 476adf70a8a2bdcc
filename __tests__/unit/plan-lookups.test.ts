import { makePlan, type PlanInput, type Step, withoutPushedTags } from '../../src/plan/plan.js';
import { collisionPolicy, type CollisionPolicy } from '../../src/tags/fork-rules.js';
import type { OnCollision } from '../../src/inputs/settings.js';
import { makeMergePlan } from '../../src/plan/merge-plan.js';
import { refContext, settings } from './helpers.js';

const REFERENCES = ['ghcr.io/acme/app:main', 'ghcr.io/acme/app:0123456', 'docker.io/acme/app:main'];

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    settings: settings(),
    engine: { buildx: true, serverVersion: '27.0.0' },
    references: REFERENCES,
    labels: {},
    jobDir: '/tmp/job',
    dockerConfig: undefined,
    testContainer: 'build-test-push-in-image-1234',
    ...overrides,
  };
}

function lookups(steps: Step[]): (Step & { kind: 'lookup' })[] {
  return steps.filter((step): step is Step & { kind: 'lookup' } => step.kind === 'lookup');
}

const USER_POLICIES: OnCollision[] = ['fail', 'warn', 'overwrite'];
const ALL_POLICIES: CollisionPolicy[] = [...USER_POLICIES, 'fork-pull-request'];

describe("the plan's lookups carry the collision policy the plan is given", () => {
  it.each(USER_POLICIES.flatMap((onCollision) => ALL_POLICIES.map((given) => [given, onCollision] as const)))(
    'given %s with on-collision: %s, every lookup judges by the policy given',
    (given, onCollision) => {
      const steps = lookups(makePlan(input({ settings: settings({ onCollision }), collisionPolicy: given })));
      expect(steps.map((step) => step.reference)).toEqual(REFERENCES);
      expect(steps.map((step) => step.policy)).toEqual(REFERENCES.map(() => given));
    },
  );

  it.each(USER_POLICIES)('given none, on-collision: %s', (onCollision) => {
    const steps = lookups(makePlan(input({ settings: settings({ onCollision }) })));
    expect(steps.map((step) => step.policy)).toEqual(REFERENCES.map(() => onCollision));
  });

  const fork = refContext({
    eventName: 'pull_request',
    ref: 'refs/pull/9/merge',
    pullRequest: { number: 9, headRef: 'main', baseRef: 'main', fromFork: true },
  });

  it.each(USER_POLICIES)("a fork's pull request stays strict with on-collision: %s", (onCollision) => {
    const policy = collisionPolicy(onCollision, fork);
    expect(policy).toBe('fork-pull-request');
    const steps = lookups(makePlan(input({ settings: settings({ onCollision }), collisionPolicy: policy })));
    expect(steps.every((step) => step.policy === 'fork-pull-request')).toBe(true);
  });

  it.each(USER_POLICIES)(
    "a merge job's lookups on a fork's pull request (push-forks: true) stay strict with on-collision: %s",
    (onCollision) => {
      const steps = lookups(
        makeMergePlan({
          ...input({
            settings: settings({
              onCollision,
              pushForks: true,
              merge: { kind: 'platforms', platforms: ['linux/amd64'] },
            }),
            collisionPolicy: collisionPolicy(onCollision, fork),
          }),
          platformImages: [],
        }),
      );
      expect(steps.map((step) => step.policy)).toEqual(REFERENCES.map(() => 'fork-pull-request'));
    },
  );

  it("a pull request from the repository itself keeps the user's policy", () => {
    const own = refContext({
      eventName: 'pull_request',
      ref: 'refs/pull/9/merge',
      pullRequest: { number: 9, headRef: 'fix', baseRef: 'main', fromFork: false },
    });
    expect(collisionPolicy('overwrite', own)).toBe('overwrite');
  });

  it('each lookup carries how its tag moves; exact tags carry none', () => {
    const motions = new Map([
      ['ghcr.io/acme/app:main', 'branch' as const],
      ['docker.io/acme/app:main', 'branch' as const],
    ]);
    const steps = lookups(makePlan(input({ motions })));
    expect(steps.map((step) => step.moves)).toEqual(['branch', undefined, 'branch']);
  });
});

describe('withoutPushedTags', () => {
  const multiPlatform = input({ settings: settings({ platforms: ['linux/amd64', 'linux/arm64'] }) });
  const build = makePlan(multiPlatform).find(
    (step): step is Step & { kind: 'build' } => step.kind === 'build',
  );
  if (build === undefined) throw new Error('no build step');

  it('the plan pushes every reference from the build itself', () => {
    expect(build.pushes).toEqual(REFERENCES);
    expect(build.command.args).toContain('--push');
  });

  it('leaves out the tags kept where they are, and nothing else', () => {
    const live = withoutPushedTags(build, ['ghcr.io/acme/app:main']);
    expect(live.pushes).toEqual(['ghcr.io/acme/app:0123456', 'docker.io/acme/app:main']);
    const tags = live.command.args.flatMap((arg, index, all) => (all[index - 1] === '--tag' ? [arg] : []));
    expect(tags).toEqual(['ghcr.io/acme/app:0123456', 'docker.io/acme/app:main']);
    expect(live.command.args.filter((arg) => arg !== '--tag')).toEqual(
      build.command.args.filter(
        (arg, index, all) =>
          arg !== '--tag' && !(all[index - 1] === '--tag' && arg === 'ghcr.io/acme/app:main'),
      ),
    );
  });

  it('with every tag kept the build pushes nothing', () => {
    const live = withoutPushedTags(build, REFERENCES);
    expect(live.pushes).toEqual([]);
    expect(live.command.args).not.toContain('--tag');
    expect(live.command.args).not.toContain('--push');
    expect(live.command.args).not.toContain('--metadata-file');
  });

  it('is the same step when nothing is kept', () => {
    expect(withoutPushedTags(build, [])).toBe(build);
  });
});
