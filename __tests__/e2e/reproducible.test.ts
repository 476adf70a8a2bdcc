// `reproducible` (default true): the same commit builds the same image, so a run on a fresh machine
// (the registry kept, nothing local) gives the same digest and pushes nothing.
import { BUILDERS, loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { runAction } from './harness.js';
import { registryDigest, registryImage } from './registry.js';
import { docker, localImageIds, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const payload = { repository: { full_name: 'acme/app', default_branch: 'main' } };

/** A RUN step whose output differs on every real run: the second build must take it from the cache. */
function app(): Record<string, string> {
  return {
    Dockerfile: `FROM ${environment.baseImage}\nRUN date +%s%N > /built-at\nCOPY code.txt /app/\n`,
    'code.txt': `${Math.random()}\n`,
  };
}

/** A fresh machine: none of this repository's images, no BuildKit cache (the leg's own daemon). */
function freshMachine(repository: string): void {
  const ids = localImageIds(`${environment.privateRegistry}/${repository}`);
  if (ids.length > 0) docker(['image', 'rm', '--force', ...ids]);
  docker(['builder', 'prune', '--all', '--force']);
}

describe.each(BUILDERS)(`reproducible images with %s on the ${environment.leg} leg`, (_name, buildx) => {
  const dockerConfig = userDockerConfig(environment, buildx);
  const build = (repository: string, dir: string, sha: string) =>
    runAction({
      inputs: { image: repository, ...loginInputs(environment) },
      workspace: dir,
      ref: 'refs/heads/main',
      sha,
      payload,
      dockerConfig,
    });

  // Docker's own (overlay2) image store ignores the exporter's source-date-epoch (src/plan/reproducible.ts).
  if (buildx && environment.leg === 'modern-containerd') {
    it('the same commit on a fresh machine: the same digest, nothing pushed', async () => {
      const repository = uniqueRepository('reproducible');
      const workspace = makeWorkspace(app(), 'main');
      // Both runs on a fresh machine, as on hosted runners: BuildKit's inline cache record depends on
      // what its local cache held, so a machine that built other images before is not the same machine.
      freshMachine(repository);
      const first = await build(repository, workspace.dir, workspace.sha);
      expect(first.exitCode).toBe(0);
      expect(first.log).toMatch(/--output type=docker,source-date-epoch=\d+ /);
      expect(first.log).not.toContain('SOURCE_DATE_EPOCH=');
      expect(first.log).not.toContain('Not reproducible');
      const pushed = await registryDigest(environment, repository, 'main');
      expect(first.outputs.digest).toBe(pushed);
      // The image carries the commit's time, not the build's.
      const { config } = await registryImage(environment, repository, 'main');
      const labels = (config.config as { Labels: Record<string, string> }).Labels;
      expect(Date.parse(config.created as string)).toBe(
        Date.parse(labels['org.opencontainers.image.created'] ?? ''),
      );

      freshMachine(repository);
      const again = await build(repository, workspace.dir, workspace.sha);
      expect(again.exitCode).toBe(0);
      expect(again.outputs.digest).toBe(pushed);
      expect(again.log).toContain(
        `Not pushing ${environment.privateRegistry}/${repository}:main: the registry already holds this very image`,
      );
      expect(again.log).not.toMatch(/\[command\]docker push /);
      expect(await registryDigest(environment, repository, 'main')).toBe(pushed);
    });
  } else {
    it('says once in the log why this engine cannot make the image reproducible', async () => {
      const repository = uniqueRepository('reproducible');
      const workspace = makeWorkspace(app(), 'main');
      const run = await build(repository, workspace.dir, workspace.sha);
      expect(run.exitCode).toBe(0);
      const reason = !buildx
        ? /^Not reproducible: the classic `docker build` stamps the image with the time it was built/m
        : environment.leg === 'legacy'
          ? /^Not reproducible: Docker 20\.[^ ]+'s BuildKit ignores SOURCE_DATE_EPOCH/m
          : /^Not reproducible: docker's own \(overlay2\) image store ignores the commit time given to its image exporter/m;
      expect(run.log.split('\n').filter((line) => reason.test(line))).toHaveLength(1);
      expect(run.log).not.toContain('SOURCE_DATE_EPOCH=');
    });
  }
});
