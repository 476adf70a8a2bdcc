import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
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

  it('never quotes a file that a requirements link points at, outside the context or in .git', async () => {
    const token = 'Ym9iOnMzY3JldC10b2tlbi0xMjM0NTY=';
    const home = mkdtempSync(path.join(os.tmpdir(), 'bpa-home-'));
    const userConfig = path.join(home, 'config.json');
    writeFileSync(userConfig, `{\n  "auths": {\n    "ghcr.io": {\n      "auth": "${token}"\n    }\n  }\n}\n`);
    const workspace = makeWorkspace({
      Dockerfile: [
        `FROM ${environment.baseImage}`,
        'COPY . /app',
        'RUN pip install -r requirements.txt -r dev.txt',
        '',
      ].join('\n'),
    });
    // As actions/checkout keeps the job's token; the link inside the context is read, its line is not quoted.
    execFileSync('git', ['-C', workspace.dir, 'config', 'http.extraheader', `AUTHORIZATION: basic ${token}`]);
    symlinkSync(userConfig, path.join(workspace.dir, 'requirements.txt'));
    symlinkSync('.git/config', path.join(workspace.dir, 'dev.txt'));
    const run = await runAction({
      inputs: { image: uniqueRepository('audit-links'), 'dry-run': 'true' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('Dockerfile audit%3A unpinned-pip');
    for (const text of [run.log, run.summary, JSON.stringify(run.outputs)]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain('AUTHORIZATION');
      expect(text).not.toContain('"auth"');
    }
    await runPost(run);
  });
});
