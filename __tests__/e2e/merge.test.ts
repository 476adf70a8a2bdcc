// `merge`, end to end: one `merge: later` job per platform (arm64 through qemu, standing in for an arm
// runner), then a merge job that publishes one index; missing platforms and a second merge.
import { loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { type ActionRun, runAction } from './harness.js';
import { fileInLayer } from './layers.js';
import { registryBlob, registryDigest, registryManifestWithDigest, registryTags } from './registry.js';
import { makeWorkspace, uniqueRepository, type Workspace } from './workspace.js';

const environment = loadEnvironment();

/** What `uname -m` says on each platform, at build time (RUN) and in the in-image test. */
const MACHINE: Record<string, string> = { 'linux/amd64': 'x86_64', 'linux/arm64': 'aarch64' };

interface Descriptor {
  digest: string;
  platform?: { os: string; architecture: string };
}

function job(workspace: Workspace, repository: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({
    inputs: { image: repository, ...loginInputs(environment), ...inputs },
    workspace: workspace.dir,
    ref: 'refs/heads/main',
    sha: workspace.sha,
    dockerConfig: userDockerConfig(environment, true),
  });
}

function platformJob(workspace: Workspace, repository: string, platform: string): Promise<ActionRun> {
  return job(workspace, repository, {
    merge: 'later',
    platforms: platform,
    'test-in-image': `test "$(uname -m)" = ${MACHINE[platform] ?? '?'}`,
  });
}

function commandsRun(run: ActionRun, start: string): string[] {
  return run.log.split('\n').filter((line) => line.startsWith(`[command]docker ${start}`));
}

/** The platform tag a `merge: later` job of `main` pushes. */
function platformTag(workspace: Workspace, platform: string): string {
  return `main-${workspace.sha.slice(0, 7)}-${platform.replace('/', '-')}`;
}

// Two platforms where the engine can hold an arm64 base image (the containerd store); on the other
// modern leg, docker's own store: one platform, which is what its driver builds and pushes alone.
const platforms = environment.multiPlatform ? ['linux/amd64', 'linux/arm64'] : ['linux/amd64'];
const baseImage = environment.multiPlatform ? environment.multiPlatformBaseImage : environment.baseImage;

describe(`merge of ${platforms.join(', ')} on the ${environment.leg} leg`, () => {
  if (environment.leg === 'legacy') {
    it('is covered by the legacy test below', () => {
      expect(environment.leg).toBe('legacy');
    });
    return;
  }
  if (baseImage === undefined)
    throw new Error('this leg builds several platforms but has no two-platform base image');
  const repository = uniqueRepository('merge');
  const workspace = makeWorkspace({ Dockerfile: `FROM ${baseImage}\nRUN uname -m > /arch\n` }, 'main');
  const merge = platforms.join(',');
  let merged: { digest: string | undefined } = { digest: undefined };

  it('each `merge: later` job tests its platform natively and pushes only its platform tag', async () => {
    for (const platform of platforms) {
      const run = await platformJob(workspace, repository, platform);
      if (run.exitCode !== 0) throw new Error(`the ${platform} job failed:\n${run.log}`);
      expect(run.log).toContain('Test inside the built image');
      expect(run.outputs.tags).toBe(
        `${environment.privateRegistry}/${repository}:${platformTag(workspace, platform)}`,
      );
      expect(run.outputs.digest).toBe(
        await registryDigest(environment, repository, platformTag(workspace, platform)),
      );
    }
    expect((await registryTags(environment, repository)).sort()).toEqual(
      platforms.map((platform) => platformTag(workspace, platform)).sort(),
    );
  });

  it('a merge naming a platform no job built fails before pushing anything, and names the job', async () => {
    const run = await job(workspace, repository, { merge: `${merge},linux/s390x` });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(
      `linux/s390x: ${environment.privateRegistry}/${repository}:${platformTag(workspace, 'linux/s390x')} does not exist`,
    );
    expect(run.log).toContain('with `merge: later` and `platforms: linux/s390x`');
    expect(run.log).toContain('nothing was pushed');
    expect(commandsRun(run, 'buildx imagetools create')).toEqual([]);
    expect(await registryTags(environment, repository)).not.toContain('main');
  });

  it('the merge pushes one index of every platform under the tag; its digest is the registry’s', async () => {
    const run = await job(workspace, repository, { merge });
    if (run.exitCode !== 0) throw new Error(`the merge failed:\n${run.log}`);
    expect(commandsRun(run, 'buildx build')).toEqual([]);
    const { digest, manifest } = await registryManifestWithDigest(environment, repository, 'main');
    expect(run.outputs.digest).toBe(digest);
    merged = { digest };
    const images = (manifest.manifests as Descriptor[]).filter((entry) => entry.platform?.os === 'linux');
    expect(images.map((entry) => `linux/${entry.platform?.architecture ?? ''}`).sort()).toEqual(
      [...platforms].sort(),
    );
    for (const entry of images) {
      const image = (await registryManifestWithDigest(environment, repository, entry.digest)).manifest as {
        layers: { digest: string }[];
      };
      const top = image.layers.at(-1);
      if (top === undefined) throw new Error(`${entry.digest} has no layers`);
      const arch = fileInLayer(await registryBlob(environment, repository, top.digest), 'arch');
      expect(arch).toBe(`${MACHINE[`linux/${entry.platform?.architecture ?? ''}`] ?? ''}\n`);
    }
  });

  it('a second merge of the same images pushes nothing', async () => {
    const run = await job(workspace, repository, { merge });
    if (run.exitCode !== 0) throw new Error(`the second merge failed:\n${run.log}`);
    expect(run.log).toContain('this very index');
    expect(commandsRun(run, 'buildx imagetools create --tag')).toEqual([]);
    expect(run.outputs.digest).toBe(merged.digest);
    expect(await registryDigest(environment, repository, 'main')).toBe(merged.digest);
  });

  it('a merge missing a platform leaves the tag as it was', async () => {
    const run = await job(workspace, repository, { merge: `${merge},linux/ppc64le` });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('linux/ppc64le:');
    expect(await registryDigest(environment, repository, 'main')).toBe(merged.digest);
  });
});
