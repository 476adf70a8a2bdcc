import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { BUILDERS, loadEnvironment, userDockerConfig, loginInputs } from './environment.js';
import { type ActionRun, NODE24, runAction, runPost } from './harness.js';
import { registryCatalog, registryDigest, registryTags } from './registry.js';
import { docker, localImageExists, localImageIds, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();

function app(extra: Record<string, string> = {}): Record<string, string> {
  return {
    Dockerfile: `FROM ${environment.baseImage}\nCOPY hello.txt /app/hello.txt\nRUN test -s /app/hello.txt\nUSER app\n`,
    'hello.txt': 'hello\n',
    'test.sh': 'echo "tests ran in $PWD"\ntest -f hello.txt\n',
    ...extra,
  };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}

/**
 * Asserts the password is nowhere a user or another process could read it. The runner swallows
 * `::add-mask::` commands; every other line must lack the password even before the runner masks it.
 */
function expectNoPassword(run: ActionRun, password: string, postLog: string): void {
  const lines = run.log.split('\n');
  expect(lines[0]).toBe(`::add-mask::${password}`);
  expect(lines.slice(1).join('\n')).not.toContain(password);
  expect(postLog).not.toContain(password);
  expect(JSON.stringify(run.outputs)).not.toContain(password);
  expect(JSON.stringify(run.state)).not.toContain(password);
  expect(run.summary).not.toContain(password);
  expect(run.argvSeen.filter((argv) => argv.includes(password))).toEqual([]);
}

describe.each(BUILDERS)('the action with %s', (_name, buildx) => {
  const dockerConfig = userDockerConfig(environment, buildx);
  const login = loginInputs(environment);

  it('tests, builds and pushes a branch as its sanitised tag, with the registry digest', async () => {
    const repository = uniqueRepository('branch');
    const workspace = makeWorkspace(app(), 'feature/Login-Page');
    const run = await runAction({
      inputs: { image: repository, ...login, 'test-command': 'bash test.sh' },
      workspace: workspace.dir,
      ref: 'refs/heads/feature/Login-Page',
      sha: workspace.sha,
      dockerConfig,
      watchArgv: true,
    });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain(`tests ran in ${workspace.dir}`);
    expect(run.log).toContain(buildx ? 'docker buildx build' : 'DOCKER_BUILDKIT=0 docker build');

    const reference = `${environment.privateRegistry}/${repository}:feature-Login-Page`;
    expect(run.outputs).toMatchObject({
      branch: 'feature/Login-Page',
      tag: 'feature-Login-Page',
      tags: reference,
      image: reference,
    });
    expect(await registryTags(environment, repository)).toEqual(['feature-Login-Page']);
    expect(run.outputs.digest).toBe(await registryDigest(environment, repository, 'feature-Login-Page'));
    expect(run.outputs['image-id']).toBe(docker(['image', 'inspect', '--format', '{{.Id}}', reference]));
    expect(
      docker([
        'image',
        'inspect',
        '--format',
        '{{index .Config.Labels "org.opencontainers.image.revision"}}',
        reference,
      ]),
    ).toBe(workspace.sha);
    expect(run.summary).toContain(run.outputs.digest);

    // Main removed its job folder (and the login in it) itself, and left the post step nothing to do:
    // the runner skips the post step of a job that succeeded (action.yml's post-if).
    const jobDir = run.jobDir ?? '';
    expect(jobDir.startsWith(run.runnerTemp)).toBe(true);
    expect(existsSync(jobDir)).toBe(false);
    expect(run.state.jobDir).toBe('');
    const post = await runPost(run);
    expect(post.exitCode).toBe(0);
    expect(post.log).not.toContain('Removed');
    expect(
      filesUnder(run.runnerDir).filter((file) => readFileSync(file, 'utf8').includes(environment.password)),
    ).toEqual([]);
    const userConfig = path.join(dockerConfig, 'config.json');
    expect(existsSync(userConfig) ? readFileSync(userConfig, 'utf8') : '').not.toContain(
      environment.privateRegistry,
    );
    expectNoPassword(run, environment.password, post.log);
    // The watcher must have seen the login itself, or the argv check above proves nothing.
    expect(run.argvSeen.some((argv) => argv.includes('login --username'))).toBe(true);
  });

  it('builds and pushes nothing when the tests fail', async () => {
    const repository = uniqueRepository('failing');
    const workspace = makeWorkspace(app(), 'main');
    const run = await runAction({
      inputs: { image: repository, ...login, 'test-command': 'echo "3 tests failed"\nexit 3' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('Tests failed with exit code 3');
    expect(run.log).toContain('3 tests failed');
    expect(run.log).not.toMatch(/\[command\]\S*docker (login|build|buildx|push)/);
    expect(localImageExists(`${environment.privateRegistry}/${repository}:main`)).toBe(false);
    expect(await registryTags(environment, repository)).toEqual([]);
    expect(run.jobDir).toBeDefined();
    expect(existsSync(run.jobDir ?? '')).toBe(false);
    expect((await runPost(run)).exitCode).toBe(0);
  });

  it('fails clearly on a wrong password and pushes nothing', async () => {
    const repository = uniqueRepository('badlogin');
    const workspace = makeWorkspace(app(), 'main');
    const wrong = 'not-the-password-4711';
    const run = await runAction({
      inputs: { image: repository, ...login, password: wrong },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
      watchArgv: true,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      new RegExp(`::error::Login to ${environment.privateRegistry} failed: .*unauthorized`, 'i'),
    );
    expect(await registryTags(environment, repository)).toEqual([]);
    const post = await runPost(run);
    expectNoPassword(run, wrong, post.log);
  });

  it('tags a pull request as pr-<number> whatever branch the fork calls itself', async () => {
    const repository = uniqueRepository('pr');
    const workspace = makeWorkspace(app(), 'main', true);
    const run = await runAction({
      // A fork's pull request pushes only when the repository opts in.
      inputs: { image: repository, ...login, 'push-forks': 'true' },
      workspace: workspace.dir,
      ref: 'refs/pull/12/merge',
      sha: workspace.sha,
      eventName: 'pull_request',
      payload: {
        number: 12,
        pull_request: {
          number: 12,
          head: { ref: 'main', repo: { full_name: 'fork/app' } },
          base: { ref: 'main', repo: { full_name: 'acme/app' } },
        },
      },
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ branch: 'main', tag: 'pr-12' });
    expect(await registryTags(environment, repository)).toEqual(['pr-12']);
    await runPost(run);
  });

  it('tags a tag push (detached HEAD) with the tag name', async () => {
    const repository = uniqueRepository('tag');
    const workspace = makeWorkspace(app(), 'main', true);
    const run = await runAction({
      inputs: { image: repository, ...login },
      workspace: workspace.dir,
      ref: 'refs/tags/v1.2.3',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.tag).toBe('v1.2.3');
    expect(await registryTags(environment, repository)).toContain('v1.2.3');
    await runPost(run);
  });

  it('dry-run leaves the registry and the local images untouched', async () => {
    const repository = uniqueRepository('dry');
    const workspace = makeWorkspace(app(), 'feature/x');
    const catalogBefore = await registryCatalog(environment);
    const run = await runAction({
      inputs: { image: repository, ...login, 'test-command': 'touch ran-tests', 'dry-run': 'true' },
      workspace: workspace.dir,
      ref: 'refs/heads/feature/x',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ tag: 'feature-x', digest: '', 'image-id': '' });
    expect(run.log).toContain('--password-stdin');
    expect(run.log.split('\n').slice(1).join('\n')).not.toContain(environment.password);
    expect(existsSync(path.join(workspace.dir, 'ran-tests'))).toBe(false);
    expect(localImageIds(`${environment.privateRegistry}/${repository}`)).toEqual([]);
    expect(await registryCatalog(environment)).toEqual(catalogBefore);
    expect(run.jobDir).toBeUndefined();
  });
});

describe('the bundle on Node 24 (runs.using: node24)', () => {
  it('pushes a branch and cleans up, like on this Node', async () => {
    const repository = uniqueRepository('node24');
    const workspace = makeWorkspace(app(), 'main');
    const run = await runAction({
      inputs: {
        image: repository,
        ...loginInputs(environment),
        'test-command': 'bash test.sh',
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, true),
      node: NODE24,
    });
    expect(run.log).toContain('[command]');
    expect(run.exitCode).toBe(0);
    expect(run.outputs.digest).toBe(await registryDigest(environment, repository, 'main'));
    expect(run.jobDir).toBeDefined();
    expect(existsSync(run.jobDir ?? '')).toBe(false);
    expect((await runPost(run)).exitCode).toBe(0);
  });
});
