// What a pull request from a fork may do: push nothing (unless `push-forks`), and never push over
// an image of another ref.
import type { RefContext } from '../context/ref-context.js';
import type { OnCollision, Settings } from '../inputs/settings.js';

/**
 * How a tag that already exists is judged: the `on-collision` input, or, on a pull request from a
 * fork, `fork-pull-request`: never push over an image of another ref, nor over one whose ref cannot
 * be told, whatever `on-collision` says.
 */
export type CollisionPolicy = OnCollision | 'fork-pull-request';

export function collisionPolicy(onCollision: OnCollision, context: RefContext): CollisionPolicy {
  return context.pullRequest?.fromFork === true ? 'fork-pull-request' : onCollision;
}

/** What a run may push: the settings it runs with, and why it pushes nothing when it was meant to. */
export interface PushDecision {
  settings: Settings;
  notice: string | undefined;
}

/**
 * A pull request from a fork tests, builds and runs the in-image test, and pushes nothing and logs
 * in nowhere, unless `push-forks` says so: its token cannot write packages and its secrets are empty,
 * so a push would fail, or worse, publish code no maintainer has reviewed.
 */
export function decidePush(settings: Settings, context: RefContext): PushDecision {
  const pullRequest = context.pullRequest;
  if (!settings.push || settings.pushForks || pullRequest?.fromFork !== true) {
    return { settings, notice: undefined };
  }
  return {
    settings: { ...settings, push: false, credentials: undefined, registryAuth: [] },
    notice:
      `Not pushing: pull request #${pullRequest.number} comes from a fork, whose token cannot write packages and whose secrets are empty. ` +
      'Tests, build and the in-image test run; nothing is logged in to or pushed. Set `push-forks: true` to push such pull requests anyway.',
  };
}
