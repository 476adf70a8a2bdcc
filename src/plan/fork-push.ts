import type { RefContext } from '../context/ref-context.js';
import type { LoginWithoutPassword } from '../inputs/registry-auth.js';
import type { Settings } from '../inputs/settings.js';
import { InputError } from '../shared/errors.js';
import { DOCKER_HUB } from './plan.js';

/** What a run may push: the settings it runs with, and why it pushes nothing when it was meant to. */
export interface PushDecision {
  settings: Settings;
  notice: string | undefined;
}

function forkNotice(settings: Settings, number: number): string {
  const runs =
    settings.merge?.kind === 'platforms'
      ? 'This merge job finds and pushes nothing: its `merge: later` jobs pushed nothing either.'
      : 'Tests, build and the in-image test run; nothing is logged in to or pushed.';
  return (
    `Not pushing: pull request #${number} comes from a fork, whose token cannot write packages and whose secrets are empty. ` +
    `${runs} Set \`push-forks: true\` to push such pull requests anyway.`
  );
}

function skippedLogins(logins: readonly LoginWithoutPassword[]): string {
  const which = logins.map((login) => `${login.registry ?? DOCKER_HUB} (${login.source})`).join(', ');
  return `Not logging in to ${which}: the password is empty, as every secret is in a pull request from a fork.`;
}

/**
 * A pull request from a fork tests, builds and runs the in-image test, and pushes nothing and logs
 * in nowhere, unless `push-forks` says so: its token cannot write packages and its secrets are empty,
 * so a push would fail, or worse, publish code no maintainer has reviewed. A login whose password is
 * empty is left out on a fork's pull request that pushes nothing; on any other run it is the error
 * parsing would have given, naming the input, before anything runs.
 */
export function decidePush(settings: Settings, context: RefContext): PushDecision {
  const pullRequest = context.pullRequest;
  const fork = pullRequest?.fromFork === true;
  const held = settings.push && !settings.pushForks && fork;
  const decided: Settings = held
    ? { ...settings, push: false, credentials: undefined, registryAuth: [], loginsWithoutPassword: [] }
    : settings;
  const notice = held ? forkNotice(settings, pullRequest.number) : undefined;
  const [first] = decided.loginsWithoutPassword;
  if (first === undefined) return { settings: decided, notice };
  if (!fork || decided.push) throw new InputError(first.input, first.problem);
  return {
    settings: { ...decided, loginsWithoutPassword: [] },
    notice: skippedLogins(decided.loginsWithoutPassword),
  };
}
