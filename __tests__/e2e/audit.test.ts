import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { loadEnvironment, userDockerConfig, loginInputs } from './environment.js';
import { runAction, runPost } from './harness.js';
import { registryTags } from './registry.js';
import { localImageExists, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();

describe('the Dockerfile audit', () => {
  const dockerConfig = userDockerConfig(environment, true);
  const login = loginInputs(environment);

  it('with audit: error, fails on a root-running Dockerfile before any test, build or push', async () => {
    const repository = uniqueRepository('audit-error');
    const workspace = makeWorkspace({
      // Runs as root: no USER in the final stage.
      Dockerfile: `FROM ${environment.baseImage}\nCOPY hello.txt /app/hello.txt\n`,
      'hello.txt': 'hello\n',
    });
    const run = await runAction({
      inputs: { image: repository, ...login, audit: 'error', 'test-command': 'touch ran-tests' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('::error title=Dockerfile audit%3A root-user,file=Dockerfile,line=1::');
    expect(run.log).toMatch(
      /::error::Dockerfile audit failed with \d+ findings?; nothing was tested, built or pushed/,
    );
    expect(run.log).not.toMatch(/\[command\]\S*docker (login|build|buildx|push)/);
    expect(existsSync(path.join(workspace.dir, 'ran-tests'))).toBe(false);
    expect(localImageExists(`${environment.privateRegistry}/${repository}:main`)).toBe(false);
    expect(await registryTags(environment, repository)).toEqual([]);
    // The summary says why, and lists the findings that stopped the step.
    expect(run.summary).toContain('## ❌ Stopped before anything ran');
    expect(run.summary).toMatch(/### Dockerfile audit[\s\S]*`root-user`/);
    expect((await runPost(run)).exitCode).toBe(0);
  });

  it('with audit: warn, annotates, builds and pushes, and lists the findings in the summary', async () => {
    const repository = uniqueRepository('audit-warn');
    const workspace = makeWorkspace({
      'app/Dockerfile': `FROM ${environment.baseImage}\n# audit-ignore: root-user\nUSER root\n`,
    });
    const run = await runAction({
      inputs: { image: repository, ...login, context: 'app' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect(run.log).not.toContain('audit%3A root-user');
    expect(await registryTags(environment, repository)).toEqual(['main']);
    expect(run.summary).toContain('### Dockerfile audit');
    await runPost(run);
  });
});
