import { BUILDERS, loadEnvironment, userDockerConfig, loginInputs } from './environment.js';
import { runAction, runPost } from './harness.js';
import { registryDigest, registryLabels } from './registry.js';
import { docker, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const LABEL = 'build-test-push-action.source-ref';

describe.each(BUILDERS)('tag collisions with %s', (_name, buildx) => {
  const dockerConfig = userDockerConfig(environment, buildx);
  const repository = uniqueRepository('collide');
  const login = loginInputs(environment);

  /** Pushes a build of `branch` (its own content, so its own digest) with the given policy. */
  async function pushBranch(branch: string, policy?: string) {
    const workspace = makeWorkspace(
      {
        Dockerfile: `FROM ${environment.baseImage}\nCOPY hello.txt /app/hello.txt\n`,
        'hello.txt': `${branch} ${Math.random()}\n`,
      },
      branch,
    );
    const run = await runAction({
      inputs: { image: repository, ...login, ...(policy === undefined ? {} : { 'on-collision': policy }) },
      workspace: workspace.dir,
      ref: `refs/heads/${branch}`,
      sha: workspace.sha,
      dockerConfig,
    });
    await runPost(run);
    return run;
  }

  it('fail (default) stops before building, naming both refs; warn and overwrite push', async () => {
    const first = await pushBranch('feature/a');
    expect(first.exitCode).toBe(0);
    expect(first.outputs.tag).toBe('feature-a');
    expect(await registryLabels(environment, repository, 'feature-a')).toMatchObject({
      [LABEL]: 'refs/heads/feature/a',
    });
    const firstDigest = await registryDigest(environment, repository, 'feature-a');

    // With buildx the lookup reads the labels; without it, the existing tag is pulled to read them.
    const failing = await pushBranch('feature-a');
    expect(failing.exitCode).toBe(1);
    expect(failing.log).toContain(
      `::error::Tag collision: ${environment.privateRegistry}/${repository}:feature-a was built from "refs/heads/feature/a", this run is "refs/heads/feature-a"`,
    );
    expect(failing.log).not.toMatch(/\[command\]\S*docker (build |buildx build |push )/);
    // The summary's heading says what stopped the run, not a failed push; nothing about pushes.
    expect(failing.summary.split('\n')[0]).toBe(
      `## ❌ Stopped by the tag collision check: nothing was built or pushed: \`${environment.privateRegistry}/${repository}\``,
    );
    expect(failing.summary).not.toContain('| reference |');
    expect(failing.summary).not.toContain('```mermaid');
    expect(await registryDigest(environment, repository, 'feature-a')).toBe(firstDigest);

    const warned = await pushBranch('feature-a', 'warn');
    expect(warned.exitCode).toBe(0);
    expect(warned.log).toMatch(/::warning::Tag collision: .*on-collision: warn/);
    expect(await registryDigest(environment, repository, 'feature-a')).toBe(warned.outputs.digest);
    expect(await registryLabels(environment, repository, 'feature-a')).toMatchObject({
      [LABEL]: 'refs/heads/feature-a',
    });

    const overwritten = await pushBranch('feature/a', 'overwrite');
    expect(overwritten.exitCode).toBe(0);
    expect(overwritten.log).toContain('(on-collision: overwrite)');
    expect(await registryDigest(environment, repository, 'feature-a')).toBe(overwritten.outputs.digest);

    const again = await pushBranch('feature/a');
    expect(again.exitCode).toBe(0);
    expect(again.log).not.toMatch(/Tag collision/);
  });

  it('an image pushed without the label is overwritten with a notice', async () => {
    const legacy = uniqueRepository('legacy');
    const reference = `${environment.privateRegistry}/${legacy}:main`;
    const config = userDockerConfig(environment, false);
    docker(['pull', '--quiet', environment.baseImage]);
    docker(['tag', environment.baseImage, reference]);
    docker(
      ['login', '--username', environment.user, '--password-stdin', environment.privateRegistry],
      {
        DOCKER_CONFIG: config,
      },
      environment.password,
    );
    docker(['push', reference], { DOCKER_CONFIG: config });
    docker(['rmi', reference]);
    const workspace = makeWorkspace(
      { Dockerfile: `FROM ${environment.baseImage}\nCOPY hello.txt /hello.txt\n`, 'hello.txt': 'new\n' },
      'main',
    );
    const run = await runAction({
      inputs: { image: legacy, ...login },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    await runPost(run);
    expect(run.exitCode).toBe(0);
    expect(run.log).toMatch(/::notice::.* exists without a build-test-push-action\.source-ref label/);
    expect(await registryDigest(environment, legacy, 'main')).toBe(run.outputs.digest);
  });
});
