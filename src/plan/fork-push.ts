import type { RefContext } from '../context/ref-context.js';
import type { Settings } from '../inputs/settings.js';

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
