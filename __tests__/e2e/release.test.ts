import { execFileSync } from 'node:child_process';
import { BUILDERS, loadEnvironment, userDockerConfig, loginInputs } from './environment.js';
import { runAction, runPost } from './harness.js';
import { registryDigest, registryLabels, registryTags } from './registry.js';
import { makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const RELEASE_TAGS = ['1', '1.2', '1.2.3', 'latest', 'v1.2.3'];

function app(): Record<string, string> {
  return { Dockerfile: `FROM ${environment.baseImage}\nLABEL com.acme.team=from-dockerfile\n` };
}

function commitTime(dir: string): string {
  return execFileSync('git', ['log', '-1', '--format=%cI'], { cwd: dir, encoding: 'utf8' }).trim();
}

describe.each(BUILDERS)('a release with %s', (_name, buildx) => {
  const dockerConfig = userDockerConfig(environment, buildx);

  it('pushes v1.2.3, 1.2.3, 1.2, 1 and latest to both repositories, with the OCI labels', async () => {
    const first = uniqueRepository('release');
    const second = `${first}-mirror`;
    const workspace = makeWorkspace(app(), 'main', true);
    const run = await runAction({
      inputs: {
        image: `${first}\n${environment.privateRegistry}/${second}`,
        ...loginInputs(environment),
        labels: 'org.opencontainers.image.title=Acme App\ncom.acme.team=web',
      },
      workspace: workspace.dir,
      ref: 'refs/tags/v1.2.3',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);

    const order = ['v1.2.3', '1.2.3', '1.2', '1', 'latest'];
    expect(run.outputs.tag).toBe('v1.2.3');
    expect(run.outputs.tags).toBe(
      [first, second]
        .flatMap((repository) => order.map((tag) => `${environment.privateRegistry}/${repository}:${tag}`))
        .join('\n'),
    );
    expect(run.log).toContain('Tag: v1.2.3 → 1.2 (semver)');

    for (const repository of [first, second]) {
      expect(await registryTags(environment, repository)).toEqual(RELEASE_TAGS);
      // Built once: every tag in both repositories is the same image.
      for (const tag of RELEASE_TAGS) {
        expect(await registryDigest(environment, repository, tag)).toBe(run.outputs.digest);
      }
      expect(await registryLabels(environment, repository, 'latest')).toMatchObject({
        'org.opencontainers.image.source': 'https://github.com/acme/app',
        'org.opencontainers.image.url': 'https://github.com/acme/app',
        'org.opencontainers.image.revision': workspace.sha,
        'org.opencontainers.image.created': commitTime(workspace.dir),
        'org.opencontainers.image.version': '1.2.3',
        'org.opencontainers.image.title': 'Acme App',
        'com.acme.team': 'web',
      });
    }
    expect((await runPost(run)).exitCode).toBe(0);
  });

  it('gives a pre-release only its own versions, without latest', async () => {
    const repository = uniqueRepository('rc');
    const workspace = makeWorkspace(app(), 'main', true);
    const run = await runAction({
      inputs: {
        image: repository,
        ...loginInputs(environment),
      },
      workspace: workspace.dir,
      ref: 'refs/tags/v2.0.0-rc.1',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect(await registryTags(environment, repository)).toEqual(['2.0.0-rc.1', 'v2.0.0-rc.1']);
    await runPost(run);
  });
});

describe('a push to a registry the step has no login for', () => {
  it('fails and names the registry that needs a login', async () => {
    const repository = uniqueRepository('nologin');
    const workspace = makeWorkspace(app(), 'main');
    const run = await runAction({
      // warn: past the tag collision check, which cannot read the tag without a login, to the push.
      inputs: { image: `${environment.privateRegistry}/${repository}`, 'on-collision': 'warn' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, true),
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(
      `${environment.privateRegistry} needs a login: this step has no credentials for it.`,
    );
    expect(await registryTags(environment, repository)).toEqual([]);
    await runPost(run);
  });
});
