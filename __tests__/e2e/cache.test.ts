import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILDERS, loadEnvironment, userDockerConfig, loginInputs } from './environment.js';
import { runAction, runPost } from './harness.js';
import { registryCacheTags, registryDigest, registryImage, registryTags } from './registry.js';
import { docker, localImageIds, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const INLINE_CACHE_KEY = 'moby.buildkit.cache.v0';
/**
 * A reproducible buildx build (Docker 23+) pulls no cache image: BuildKit reads the registry cache
 * itself, and a pulled image would change the inline cache record it writes (src/plan/plan.ts).
 */
const buildxPulls = environment.leg === 'legacy';
/** buildx on the containerd image store caches every stage in a registry cache of its own (src/plan/stage-cache.ts). */
const everyStage = environment.leg === 'modern-containerd';

/** A dependency step whose output differs on every real run, so a reused layer proves a cache hit. */
function app(code: string): Record<string, string> {
  return {
    Dockerfile:
      `FROM ${environment.baseImage}\n` +
      // The classic builder's WORKDIR makes a layer of zero bytes: the size comparison pairs it too.
      'WORKDIR /app\n' +
      'COPY requirements.txt /app/\n' +
      'RUN cat /app/requirements.txt && date +%s%N > /app/installed-at\n' +
      'COPY code.txt /app/\n',
    'requirements.txt': `flask\n# ${Math.random()}\n`,
    'code.txt': code,
  };
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
}

/** Removes this test's own images, as a fresh runner would not have them. */
function removeLocalImages(repository: string): void {
  const ids = localImageIds(`${environment.privateRegistry}/${repository}`);
  if (ids.length > 0) docker(['image', 'rm', '--force', ...ids]);
}

const payload = { repository: { full_name: 'acme/app', default_branch: 'main' } };

describe.each(BUILDERS)('the registry cache with %s', (_name, buildx) => {
  const dockerConfig = userDockerConfig(environment, buildx);
  const login = loginInputs(environment);
  /** One run of the action for `branch` at `sha` in `dir`, logged in to the private registry. */
  const build = (repository: string, dir: string, branch: string, sha: string, inputs = {}) =>
    runAction({
      inputs: { image: repository, ...login, ...inputs },
      workspace: dir,
      ref: `refs/heads/${branch}`,
      sha,
      payload,
      dockerConfig,
    });

  it("a new branch reuses the default branch's dependency layer from the registry", async () => {
    const repository = uniqueRepository('cache');
    const workspace = makeWorkspace(app('v1\n'), 'main');
    const first = await build(repository, workspace.dir, 'main', workspace.sha);
    expect(first.exitCode).toBe(0);
    await runPost(first);
    const main = await registryImage(environment, repository, 'main');
    // buildx on docker's overlay2 store writes the cache metadata into the image; on the containerd
    // store every stage goes to image:buildcache-<ref> instead. The classic builder's image history is its cache.
    expect(Object.hasOwn(main.config, INLINE_CACHE_KEY)).toBe(buildx && !everyStage);
    expect(await registryCacheTags(environment, repository)).toEqual(
      buildx && everyStage ? ['buildcache-main'] : [],
    );

    removeLocalImages(repository);
    git(workspace.dir, 'checkout', '-q', '-b', 'feature/new');
    execFileSync('sh', ['-c', 'echo v2 > code.txt && git add code.txt'], { cwd: workspace.dir });
    git(workspace.dir, 'commit', '-qm', 'v2');
    const sha = git(workspace.dir, 'rev-parse', 'HEAD').trim();
    const second = await build(repository, workspace.dir, 'feature/new', sha);
    expect(second.exitCode).toBe(0);
    await runPost(second);

    const branchImage = `${environment.privateRegistry}/${repository}:feature-new`;
    const mainImage = `${environment.privateRegistry}/${repository}:main`;
    // The branch has no image yet (the lookup saw that): the default branch's is pulled instead.
    if (!buildx || buildxPulls) {
      expect(second.log).toContain(
        `Skipped pulling ${branchImage}: the registry has no such tag yet (normal for a new branch).`,
      );
      expect(second.log).toContain(`[command]docker pull --quiet ${mainImage}`);
    } else {
      expect(second.log).not.toContain('[command]docker pull');
    }
    expect(second.log).not.toContain(`[command]docker pull --quiet ${branchImage}`);
    if (buildx) {
      const build =
        second.log.split('\n').find((line) => line.startsWith('[command]docker buildx build')) ?? '';
      expect(build).toContain(`--cache-from type=registry,ref=${mainImage}`);
      expect(build).not.toContain(`--cache-from type=registry,ref=${branchImage}`);
      expect(second.log).toContain(`importing cache manifest from ${mainImage}`);
    } else {
      expect(second.log).toContain('Using cache');
      const build = second.log.split('\n').find((line) => line.startsWith('[command]docker build')) ?? '';
      expect(build).toContain(`--cache-from ${mainImage}`);
      expect(build).not.toContain(`--cache-from ${branchImage}`);
    }
    expect(await registryTags(environment, repository)).toEqual(['feature-new', 'main']);
    // How big it got against the default branch's image, on every engine and builder.
    expect(second.log).toMatch(new RegExp(`^Size: .* against ${mainImage.replace(/[.]/g, '\\.')}\\.$`, 'm'));
    const feature = await registryImage(environment, repository, 'feature-new');
    // Same base and dependency layers (installed-at would differ if the step had run again), new code.
    expect(feature.layers.slice(0, -1)).toEqual(main.layers.slice(0, -1));
    expect(feature.layers.at(-1)).not.toBe(main.layers.at(-1));
  });

  it('a re-run with nothing changed on a warm machine builds from cache and uploads nothing', async () => {
    const repository = uniqueRepository('rerun');
    const workspace = makeWorkspace(app('v1\n'), 'main');
    const first = await build(repository, workspace.dir, 'main', workspace.sha);
    expect(first.exitCode).toBe(0);
    expect(first.log).toMatch(/\[command\]docker push /);
    const pushed = await registryDigest(environment, repository, 'main');
    expect(first.outputs.digest).toBe(pushed);

    const again = await build(repository, workspace.dir, 'main', workspace.sha);
    expect(again.exitCode).toBe(0);
    const notPushing = `Not pushing ${environment.privateRegistry}/${repository}:main: the registry already holds`;
    if (again.outputs['image-id'] === first.outputs['image-id']) {
      expect(again.log).toContain(`${notPushing} this very image`);
    } else {
      // BuildKit's inline-cache record follows what its local cache held (earlier tests built the
      // same app): another image id, the same layers and config.
      expect(again.log).toContain(`${notPushing} an image with the same layers and config`);
    }
    expect(again.log).not.toMatch(/\[command\]docker push /);
    expect(again.summary).toContain('nothing needed uploading');
    // Nothing pushed, nothing to read back: the digest is the one the lookup read.
    expect(again.log).toContain('Not read back: nothing was pushed');
    expect(again.log).not.toContain("::group::Verify the registry's digest");
    expect(again.outputs.digest).toBe(pushed);
    expect(await registryDigest(environment, repository, 'main')).toBe(pushed);
    // The registry read was answered in-process, without a docker process of its own.
    expect(again.log).not.toMatch(/\[command\]docker (buildx imagetools|manifest) inspect/);
    // The cache image here is what the registry holds: not pulled again.
    if (!buildx || buildxPulls) {
      expect(again.log).toContain(
        `${environment.privateRegistry}/${repository}:main is here already, as the registry holds it: not pulled.`,
      );
    }
    expect(again.log).not.toMatch(/\[command\]docker pull /);
    expect(again.log).toContain(buildx ? 'CACHED' : 'Using cache');
    // The classic CLI reads the labelled copy of the Dockerfile in the job's folder: one LABEL step.
    if (!buildx) {
      expect(again.log).toMatch(/\[command\]docker build --file \S+\/Dockerfile\.labelled /);
      expect(again.log).not.toContain('--label');
    }
  });

  it('cache: false uses and writes no registry cache', async () => {
    const repository = uniqueRepository('nocache');
    const workspace = makeWorkspace(app('v1\n'), 'feature/x');
    const run = await build(repository, workspace.dir, 'feature/x', workspace.sha, { cache: 'false' });
    expect(run.exitCode).toBe(0);
    await runPost(run);
    expect(run.log).not.toContain('--cache-from');
    expect(run.log).not.toContain('--cache-to');
    expect(run.log).not.toContain('docker pull');
    const image = await registryImage(environment, repository, 'feature-x');
    expect(Object.hasOwn(image.config, INLINE_CACHE_KEY)).toBe(false);
  });
});

describe('the builder input', () => {
  /** A named buildx builder as an earlier step would leave it: here a docker context on the same daemon. */
  function configWithBuilder(name: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bpa-builder-config-'));
    mkdirSync(path.join(dir, 'cli-plugins'));
    symlinkSync(environment.buildxPlugin, path.join(dir, 'cli-plugins', 'docker-buildx'));
    const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    docker(['--config', dir, 'context', 'create', name, '--docker', `host=${host}`]);
    return dir;
  }

  it('builds with a builder that is a docker context, selected as the context, and pushes', async () => {
    const repository = uniqueRepository('builder');
    const workspace = makeWorkspace(app('v1\n'), 'main');
    const dockerConfig = configWithBuilder('bpa-named');
    expect(docker(['buildx', 'ls'], { DOCKER_CONFIG: dockerConfig })).toContain('bpa-named');
    const run = await runAction({
      inputs: {
        image: repository,
        ...loginInputs(environment),
        builder: 'bpa-named',
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    const build = run.log.split('\n').find((line) => line.includes('docker buildx build --')) ?? '';
    expect(build).toContain('DOCKER_CONTEXT=bpa-named');
    expect(build).not.toContain('--builder');
    expect(await registryTags(environment, repository)).toEqual(['main']);
    await runPost(run);
  });

  it.each([
    ['a builder that does not exist', true, /no builder "bpa-missing" found/],
    ['the classic builder', false, /Input `builder`: needs docker buildx/],
  ])('%s fails clearly and pushes nothing', async (_label, buildx, message) => {
    const repository = uniqueRepository('nobuilder');
    const workspace = makeWorkspace(app('v1\n'), 'main');
    const run = await runAction({
      inputs: { image: repository, ...loginInputs(environment), builder: 'bpa-missing' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, buildx),
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(new RegExp(`::error::.*${message.source}`));
    expect(await registryTags(environment, repository)).toEqual([]);
  });
});
