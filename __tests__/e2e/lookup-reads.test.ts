// What the lookup before the build asks the registry: a proxy in front of the private registry
// notes every request of a run.
import { BUILDERS, loadEnvironment, userDockerConfig } from './environment.js';
import { proxyForTests } from './fault-proxy.js';
import { runAction, runPost } from './harness.js';
import { registryImage } from './registry.js';
import { copyOnlyApp, docker, localImageIds, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();

const proxyHere = proxyForTests(environment.privateRegistry);

describe.each(BUILDERS)('the lookup with %s', (_name, buildx) => {
  const dockerConfig = userDockerConfig(environment, buildx);

  it("reads the tag's manifest and, for its labels, its config from the registry on every run", async () => {
    const proxy = proxyHere();
    const repository = uniqueRepository('lookup-reads');
    const image = `${proxy.host}/${repository}`;
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, repository), 'main');
    const build = async () => {
      proxy.requests.length = 0;
      const run = await runAction({
        inputs: { image, username: environment.user, password: environment.password },
        workspace: workspace.dir,
        ref: 'refs/heads/main',
        sha: workspace.sha,
        dockerConfig,
      });
      if (run.exitCode !== 0) throw new Error(run.log);
      expect((await runPost(run)).exitCode).toBe(0);
      // The action's own reads: docker and BuildKit read the registry too, naming themselves.
      const ours = proxy.requests.filter(
        (request) => request.method === 'GET' && request.userAgent === undefined,
      );
      return { run, gets: ours.map((request) => request.url) };
    };

    /** The config of the image the tag holds (for the next run), as a request for its blob. */
    const configBlobNow = async (): Promise<string> =>
      `/v2/${repository}/blobs/${(await registryImage(environment, repository, 'main')).configDigest}`;
    const manifest = `/v2/${repository}/manifests/main`;
    await build();
    const firstConfig = await configBlobNow();

    // The same commit again on this machine: the labels still come from the registry's config of
    // what the tag holds (the rebuild may differ, which does not matter to the lookup).
    const again = await build();
    const againConfig = await configBlobNow();
    expect(again.gets).toContain(manifest);
    expect(again.gets).toContain(firstConfig);
    // The labels read carry the tag's source ref: the collision check found this ref's own image.
    expect(again.run.log).not.toContain('label (pushed before this action was used)');
    expect(again.run.log).not.toContain('its labels could not be read');

    // A fresh runner holds no image: the same reads.
    docker(['image', 'rm', '--force', ...localImageIds(image)]);
    const fresh = await build();
    expect(fresh.gets).toContain(manifest);
    expect(fresh.gets).toContain(againConfig);
  });
});
