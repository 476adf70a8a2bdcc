// `platforms` with two platforms, end to end: buildx builds both (arm64 through qemu) and pushes one index.
import { loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { runAction } from './harness.js';
import { fileInLayer } from './layers.js';
import { registryBlob, registryDigest, registryManifestWithDigest, registryTags } from './registry.js';
import { makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const PLATFORMS = 'linux/amd64,linux/arm64';

interface Descriptor {
  digest: string;
  platform?: { os: string; architecture: string };
}

function app(baseImage: string): Record<string, string> {
  return { Dockerfile: `FROM ${baseImage}\nRUN uname -m > /arch\n` };
}

const run = (repository: string, baseImage: string) => {
  const workspace = makeWorkspace(app(baseImage), 'main');
  return runAction({
    inputs: { image: repository, ...loginInputs(environment), platforms: PLATFORMS },
    workspace: workspace.dir,
    ref: 'refs/heads/main',
    sha: workspace.sha,
    dockerConfig: userDockerConfig(environment, true),
  }).then((result) => ({ result, sha: workspace.sha }));
};

// The docker driver builds several platforms only into the containerd image store: on the other legs
// the action must fail clearly and push nothing; on that leg it must build and push one index.
if (environment.multiPlatform) {
  describe(`platforms ${PLATFORMS} on the ${environment.leg} leg`, () => {
    it('pushes one index whose digest is the output, both images labelled, arm64 really ran', async () => {
      const baseImage = environment.multiPlatformBaseImage;
      if (baseImage === undefined)
        throw new Error('this leg builds several platforms but has no two-platform base image');
      const repository = uniqueRepository('multi');
      const { result, sha } = await run(repository, baseImage);
      if (result.exitCode !== 0) throw new Error(`the step failed:\n${result.log}`);
      const build =
        result.log.split('\n').find((line) => line.startsWith('[command]docker buildx build')) ?? '';
      expect(build).toContain(`--platform ${PLATFORMS}`);
      // The commit's time goes to the exporter; the docker driver unpacks into the image store, so
      // BuildKit refuses rewrite-timestamp there.
      expect(build).toMatch(/ --output type=registry,source-date-epoch=\d+ /);
      expect(build).not.toContain('rewrite-timestamp');
      expect(build).toContain('--provenance=false');

      const { digest, manifest } = await registryManifestWithDigest(environment, repository, 'main');
      expect(result.outputs.digest).toBe(digest);
      expect(await registryDigest(environment, repository, 'main')).toBe(digest);
      expect(manifest.mediaType).toMatch(/index|manifest\.list/);
      const images = (manifest.manifests as Descriptor[]).filter((entry) => entry.platform?.os === 'linux');
      expect(images.map((entry) => entry.platform?.architecture).sort()).toEqual(['amd64', 'arm64']);
      const arches: Record<string, string | undefined> = {};
      for (const entry of images) {
        const image = (await registryManifestWithDigest(environment, repository, entry.digest)).manifest as {
          config: { digest: string };
          layers: { digest: string }[];
        };
        const config = JSON.parse(
          (await registryBlob(environment, repository, image.config.digest)).toString('utf8'),
        ) as { architecture: string; config: { Labels?: Record<string, string> } };
        expect(config.architecture).toBe(entry.platform?.architecture);
        expect(config.config.Labels?.['org.opencontainers.image.revision']).toBe(sha);
        const top = image.layers.at(-1);
        if (top === undefined) throw new Error(`${entry.digest} has no layers`);
        arches[config.architecture] = fileInLayer(
          await registryBlob(environment, repository, top.digest),
          'arch',
        );
      }
      // The RUN step ran on each platform: under qemu for arm64.
      expect(arches).toEqual({ amd64: 'x86_64\n', arm64: 'aarch64\n' });
    });
  });
} else {
  describe(`platforms ${PLATFORMS} on the ${environment.leg} leg (docker driver without the containerd image store)`, () => {
    it('fails with buildx’s reason and pushes nothing', async () => {
      const repository = uniqueRepository('multi');
      const { result } = await run(repository, environment.baseImage);
      expect(result.exitCode).not.toBe(0);
      expect(result.log).toMatch(/not (currently )?supported for (the )?docker driver/i);
      expect(await registryTags(environment, repository)).toEqual([]);
    });
  });
}
