// A fork's pull request gets empty secrets: a login whose password comes empty must not stop the
// run before the fork decision can say "nothing is pushed"; on any other run it is still the error
// that names the input. Parsing sets such a login aside, decidePush decides.
import type { RefContext } from '../../src/context/ref-context.js';
import { stepLogins } from '../../src/inputs/logins.js';
import type { RawInputs } from '../../src/inputs/input-names.js';
import { decidePush } from '../../src/tags/fork-rules.js';
import { makeMergePlan } from '../../src/plan/merge-plan.js';
import { InputError } from '../../src/shared/errors.js';
import { platformImages } from '../../src/tags/platform-tags.js';
import { settingsWith } from '../../__fixtures__/inputs.js';
import { refContext } from './helpers.js';

const pullRequest = (fromFork: boolean): RefContext =>
  refContext({
    eventName: 'pull_request',
    ref: 'refs/pull/9/merge',
    gitBranch: undefined,
    pullRequest: { number: 9, headRef: 'main', baseRef: 'main', fromFork },
  });
const fork = pullRequest(true);

/** `username: ${{ github.actor }}`, `password: ${{ secrets.REGISTRY_TOKEN }}` on a fork: empty. */
const EMPTY_PASSWORD: Partial<RawInputs> = { username: 'octocat', password: '' };
/** A Docker Hub entry fed by secrets (both empty on a fork), and a full one for quay.io. */
const EMPTY_ENTRY: Partial<RawInputs> = {
  'registry-auth': '- registry: quay.io\n  username: q\n  password: s3cr3t-value\n- username:\n  password:\n',
};

function inputError(attempt: () => unknown): InputError {
  try {
    attempt();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no InputError');
}

describe('a login whose password is empty', () => {
  it.each([
    ['`password`', EMPTY_PASSWORD, 'password'],
    ['a `registry-auth` entry', EMPTY_ENTRY, 'registry-auth'],
  ])('parses (%s): set aside, not logged in to, for the fork decision', (_, inputs, input) => {
    const settings = settingsWith(inputs);
    expect(settings.loginsWithoutPassword.map((login) => login.input)).toEqual([input]);
    expect(stepLogins(settings).every((login) => login.password.reveal() !== '')).toBe(true);
  });

  it.each([
    ['`password`', EMPTY_PASSWORD],
    ['a `registry-auth` entry', EMPTY_ENTRY],
    ['both', { ...EMPTY_PASSWORD, ...EMPTY_ENTRY }],
  ])(
    "on a fork's pull request (%s): no error, nothing logged in to or pushed, the fork notice",
    (_, inputs) => {
      const decision = decidePush(settingsWith(inputs), fork);
      expect(decision.settings.push).toBe(false);
      expect(stepLogins(decision.settings)).toEqual([]);
      expect(decision.settings.loginsWithoutPassword).toEqual([]);
      expect(decision.notice).toMatch(/^Not pushing: pull request #9 comes from a fork/);
      expect(decision.notice).toContain('Tests, build and the in-image test run');
    },
  );

  it("on a fork's pull request with push: false, only the empty login is left out, with a notice", () => {
    const decision = decidePush(settingsWith({ ...EMPTY_PASSWORD, ...EMPTY_ENTRY, push: 'false' }), fork);
    expect(stepLogins(decision.settings).map((login) => login.registry)).toEqual(['quay.io']);
    expect(decision.settings.loginsWithoutPassword).toEqual([]);
    expect(decision.notice).toBe(
      'Not logging in to ghcr.io (`username`/`password`), Docker Hub (`registry-auth` entry 2): the password is empty, as every secret is in a pull request from a fork.',
    );
    expect(decision.notice).not.toContain('s3cr3t-value');
  });

  it.each([
    ['a push', refContext(), {}],
    ['a pull request of the repository itself', pullRequest(false), {}],
    ['a push with push: false', refContext(), { push: 'false' }],
    ["a fork's pull request with push-forks: true", fork, { 'push-forks': 'true' }],
  ])('on %s: the error naming the input, as before', (_, context, extra: Partial<RawInputs>) => {
    const password = inputError(() => decidePush(settingsWith({ ...EMPTY_PASSWORD, ...extra }), context));
    expect(password.input).toBe('password');
    expect(password.message).toContain('is empty but `username` is set');
    const entry = inputError(() => decidePush(settingsWith({ ...EMPTY_ENTRY, ...extra }), context));
    expect(entry.input).toBe('registry-auth');
    expect(entry.message).toContain('entry 2 has no username and no password');
    expect(entry.message).not.toContain('s3cr3t-value');
  });

  it('a password without a username is an error at parsing, fork or not', () => {
    expect(inputError(() => settingsWith({ password: 'p' })).input).toBe('username');
    const entry = inputError(() => settingsWith({ 'registry-auth': '- password: s3cr3t-value' }));
    expect(entry.message).toContain('entry 1 has no username;');
    expect(entry.message).not.toContain('s3cr3t-value');
  });
});

describe("a merge job on a fork's pull request", () => {
  const merge = { merge: 'linux/amd64,linux/arm64', username: 'octocat', password: 'p' };

  function plan(context: RefContext) {
    const decision = decidePush(settingsWith(merge), context);
    const steps = makeMergePlan({
      settings: decision.settings,
      engine: { buildx: true, serverVersion: '28.5.0' },
      references: ['ghcr.io/acme/webapp:pr-9'],
      labels: {},
      jobDir: '/tmp/job',
      dockerConfig: '/tmp/job/docker-config',
      testContainer: 'unused',
      platformImages: platformImages(['ghcr.io/acme/webapp'], context, ['linux/amd64', 'linux/arm64']),
    });
    return { notice: decision.notice, steps };
  }

  it('logs in to, finds and pushes nothing, and says why', () => {
    const { notice, steps } = plan(fork);
    expect(steps).toEqual([]);
    expect(notice).toMatch(/^Not pushing: pull request #9 comes from a fork/);
    expect(notice).toContain('This merge job finds and pushes nothing');
    expect(notice).toContain('`push-forks: true`');
  });

  it('with an empty password too', () => {
    const decision = decidePush(settingsWith({ ...merge, password: '' }), fork);
    expect(decision.settings.push).toBe(false);
    expect(stepLogins(decision.settings)).toEqual([]);
  });

  it('a pull request of the repository itself merges as usual', () => {
    const { notice, steps } = plan(pullRequest(false));
    expect(notice).toBeUndefined();
    expect(steps.map((step) => step.kind)).toEqual([
      'login',
      'platform-image',
      'platform-image',
      'lookup',
      'index',
      'verify',
    ]);
  });
});
