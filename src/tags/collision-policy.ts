import type { RefContext } from '../context/ref-context.js';
import type { OnCollision } from '../inputs/settings.js';

/**
 * How a tag that already exists is judged: the `on-collision` input, or, on a pull request from a
 * fork, `fork-pull-request`: never push over an image of another ref, nor over one whose ref cannot
 * be told, whatever `on-collision` says.
 */
export type CollisionPolicy = OnCollision | 'fork-pull-request';

export function collisionPolicy(onCollision: OnCollision, context: RefContext): CollisionPolicy {
  return context.pullRequest?.fromFork === true ? 'fork-pull-request' : onCollision;
}
