// Issue 16's holes, end to end: the bundled action against the real daemon and registries.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { runAction, runPost } from './harness.js';
import { registryDigest, registryLabels } from './registry.js';
import { copyOnlyApp, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const login = loginInputs(environment);
const LABEL = 'build-test-push-action.source-ref';

/** What the runner gives a step besides the inputs: service tokens no child of ours may see. */
const RUNNER_SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-e2e-secret',
  ACTIONS_RUNTIME_URL: 'https://pipelines.example.invalid/runtime-url-e2e-secret/',
  ACTIONS_CACHE_URL: 'https://cache.example.invalid/cache-url-e2e-secret/',
  ACTIONS_RESULTS_URL: 'https://results.example.invalid/results-url-e2e-secret/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-e2e-secret',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example.invalid/oidc-url-e2e-secret',
};

/**
 * A folder holding docker-credential-spy: it appends its verb and its whole environment to
 * spy.log, answers `get` with "not found" (so docker goes anonymous) and accepts `store`.
 */
function credentialSpy(): { dir: string; log: () => string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpa-spy-'));
  const log = path.join(dir, 'spy.log');
  writeFileSync(log, '');
  const file = path.join(dir, 'docker-credential-spy');
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      `{ echo "== $1"; cat; echo; env; } >> '${log}'`,
      'case "$1" in',
      '  get) echo "credentials not found in native keychain"; exit 1 ;;',
      '  list) echo "{}" ;;',
      'esac',
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
  return { dir, log: () => readFileSync(log, 'utf8') };
}

describe('what children get', () => {
  it('test command and credential helpers get no input, password or runner token; no store keeps the login', async () => {
    const spy = credentialSpy();
    const dockerConfig = userDockerConfig(environment, true);
    // A store under a key case docker reads too, and a helper for the other registry of the image list.
    writeFileSync(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({ CredsStore: 'spy', credHelpers: { [environment.publicRegistry]: 'spy' } }),
    );
    const repository = uniqueRepository('children');
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, 'children'));
    const run = await runAction({
      inputs: {
        image: `${environment.privateRegistry}/${repository}\n${environment.publicRegistry}/${repository}`,
        ...login,
        'test-command': 'env > test-env.txt',
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
      env: { ...RUNNER_SECRETS, PATH: `${spy.dir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    await runPost(run);

    const testEnv = readFileSync(path.join(workspace.dir, 'test-env.txt'), 'utf8');
    const helperLog = spy.log();
    // The helper ran (for the other registry), so what it saw is worth checking.
    expect(helperLog).toContain('== get');
    expect(helperLog).toContain(environment.publicRegistry);
    for (const seen of [testEnv, helperLog]) {
      expect(seen).toContain('GITHUB_REPOSITORY=acme/app');
      expect(seen).not.toMatch(/^INPUT_/m);
      expect(seen).not.toContain(environment.password);
      for (const [name, value] of Object.entries(RUNNER_SECRETS)) {
        expect(seen).not.toContain(`${name}=`);
        expect(seen).not.toContain(value);
      }
    }
    // `CredsStore` is docker's credsStore too: the job's config has none, so the login never went there.
    expect(helperLog).not.toContain('== store');
    expect(helperLog).not.toContain(environment.password);
    expect(run.exitCode).toBe(0);
  });
});

describe("the job's folder", () => {
  it('is gone from RUNNER_TEMP when resolve fails early (a `file` that does not exist)', async () => {
    const dockerConfig = userDockerConfig(environment, true);
    // Another login of the runner's, which the job's config.json would copy.
    writeFileSync(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({
        auths: { 'other.example.invalid': { auth: Buffer.from('me:runner-login').toString('base64') } },
      }),
    );
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, 'early'));
    const run = await runAction({
      inputs: { image: uniqueRepository('early'), ...login, file: 'missing.Dockerfile' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('missing.Dockerfile');
    // Nothing of ours is left, without the post step's help.
    expect(readdirSync(run.runnerTemp)).toEqual([]);
    if (run.jobDir !== undefined) expect(existsSync(run.jobDir)).toBe(false);
  });
});

describe('a pull request from a fork whose branch is `main`', () => {
  const dockerConfig = userDockerConfig(environment, true);
  const repository = uniqueRepository('fork-main');

  /** The workflow checked out the fork's `main` by name, on pull_request_target (the base's ref and sha). */
  function forkRun(workspace: { dir: string; sha: string }, inputs: Record<string, string>) {
    return runAction({
      // `push-forks`: a fork's pull request that does push still never pushes over another ref's tag.
      inputs: { image: repository, ...login, 'push-forks': 'true', ...inputs },
      workspace: workspace.dir,
      eventName: 'pull_request_target',
      ref: 'refs/heads/main',
      sha: workspace.sha,
      payload: {
        number: 43,
        pull_request: {
          number: 43,
          head: { ref: 'main', repo: { full_name: 'outsider/app' } },
          base: { ref: 'main', repo: { full_name: 'acme/app' } },
        },
        repository: { full_name: 'acme/app', default_branch: 'main' },
      },
      dockerConfig,
    });
  }

  it('never overwrites image:main: {branch} gives pr-43-main, and a literal `main` is refused whatever on-collision says', async () => {
    const base = makeWorkspace(copyOnlyApp(environment.baseImage, 'base main'));
    const pushed = await runAction({
      inputs: { image: repository, ...login, tag: '{branch}' },
      workspace: base.dir,
      ref: 'refs/heads/main',
      sha: base.sha,
      dockerConfig,
    });
    await runPost(pushed);
    expect(pushed.exitCode).toBe(0);
    const mainDigest = await registryDigest(environment, repository, 'main');

    // The fork's code, on a branch also called main.
    const fork = makeWorkspace(copyOnlyApp(environment.baseImage, 'fork main'));
    const branchTag = await forkRun(fork, { tag: '{branch}', 'on-collision': 'overwrite' });
    await runPost(branchTag);
    expect(branchTag.exitCode).toBe(0);
    expect(branchTag.outputs.tag).toBe('pr-43-main');
    expect(branchTag.outputs.branch).toBe('main');
    expect(await registryLabels(environment, repository, 'pr-43-main')).toMatchObject({
      [LABEL]: 'refs/pull/43/merge',
    });

    const literal = await forkRun(fork, { tag: 'main', 'on-collision': 'overwrite' });
    await runPost(literal);
    expect(literal.exitCode).toBe(1);
    expect(literal.log).toContain('a pull request from a fork never pushes over a tag');
    expect(literal.log).not.toMatch(/\[command\]\S*docker (buildx build |push )/);

    expect(await registryDigest(environment, repository, 'main')).toBe(mainDigest);
    expect(await registryLabels(environment, repository, 'main')).toMatchObject({
      [LABEL]: 'refs/heads/main',
    });
  });
});
