// `merge`, end to end: one `merge: later` job per platform (arm64 through qemu, standing in for an arm
// runner), then a merge job that publishes one index; missing platforms and a second merge.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
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

function job(
  workspace: Workspace,
  repository: string,
  inputs: Record<string, string>,
  buildx = true,
): Promise<ActionRun> {
  return runAction({
    inputs: { image: repository, ...loginInputs(environment), ...inputs },
    workspace: workspace.dir,
    ref: 'refs/heads/main',
    sha: workspace.sha,
    dockerConfig: userDockerConfig(environment, buildx),
  });
}

function platformJob(workspace: Workspace, repository: string, platform: string): Promise<ActionRun> {
  return job(workspace, repository, {
    merge: 'later',
    platforms: platform,
    // Exec form: the image from scratch has no /bin/sh, only busybox.
    'test-in-image': JSON.stringify([
      '/bin/busybox',
      'sh',
      '-c',
      `test "$(/bin/busybox uname -m)" = ${MACHINE[platform] ?? '?'}`,
    ]),
  });
}

function commandsRun(run: ActionRun, start: string): string[] {
  return run.log.split('\n').filter((line) => line.startsWith(`[command]docker ${start}`));
}

/** The platform tag a `merge: later` job of `main` pushes. */
function platformTag(workspace: Workspace, platform: string): string {
  return `main-${workspace.sha.slice(0, 7)}-${platform.replace('/', '-')}`;
}

/** Static busybox binaries per architecture: the host's, and the arm64 one setup-docker.sh installs. */
const BUSYBOX: Record<string, string> = {
  amd64: execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim(),
  arm64: path.join(process.env.TOOLS_DIR ?? '/opt/bpa-tools', 'modern', 'arm64', 'busybox'),
};

/**
 * The app: `uname -m` at build time into /arch. Where the engine holds a two-platform base image
 * (the containerd store) it starts from that; elsewhere from scratch with the busybox of the target
 * architecture, which docker's own store builds one platform at a time just as well.
 */
function app(): Record<string, string> {
  const base = environment.multiPlatformBaseImage;
  if (base !== undefined) return { Dockerfile: `FROM ${base}\nRUN uname -m > /arch\n` };
  return {
    Dockerfile: [
      'FROM scratch',
      'ARG TARGETARCH',
      'COPY busybox-${TARGETARCH} /bin/busybox',
      'RUN ["/bin/busybox", "sh", "-c", "/bin/busybox uname -m > /arch"]',
      '',
    ].join('\n'),
    ...Object.fromEntries(
      Object.entries(BUSYBOX).map(([arch, file]) => [`busybox-${arch}`, readFileSync(file)]),
    ),
  };
}

const platforms = ['linux/amd64', 'linux/arm64'];

describe(`merge of ${platforms.join(', ')} on the ${environment.leg} leg`, () => {
  const repository = uniqueRepository('merge');
  const workspace = makeWorkspace(app(), 'main');
  for (const arch of Object.keys(BUSYBOX)) {
    const binary = path.join(workspace.dir, `busybox-${arch}`);
    if (existsSync(binary)) chmodSync(binary, 0o755);
  }
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

  it('on a pull request the merge finds the platform image by the head commit its label names', async () => {
    // The runner checks out the merge commit (GITHUB_SHA); the image is labelled with the head commit.
    const pullRequest = uniqueRepository('merge-pr');
    const mergeCommit = 'e'.repeat(40);
    const onPullRequest = (inputs: Record<string, string>) =>
      runAction({
        inputs: { image: pullRequest, ...loginInputs(environment), ...inputs },
        workspace: workspace.dir,
        ref: 'refs/pull/7/merge',
        sha: mergeCommit,
        eventName: 'pull_request',
        payload: {
          number: 7,
          pull_request: {
            number: 7,
            head: { ref: 'login', sha: workspace.sha, repo: { full_name: 'acme/app' } },
            base: { ref: 'main', repo: { full_name: 'acme/app' } },
          },
          repository: { full_name: 'acme/app', default_branch: 'main' },
        },
        dockerConfig: userDockerConfig(environment, true),
      });
    const built = await onPullRequest({ merge: 'later', platforms: 'linux/amd64' });
    if (built.exitCode !== 0) throw new Error(`the platform job failed:\n${built.log}`);
    const merging = await onPullRequest({ merge: 'linux/amd64' });
    if (merging.exitCode !== 0) throw new Error(`the merge failed:\n${merging.log}`);
    expect(commandsRun(merging, 'buildx imagetools create --tag')).toHaveLength(1);
    const tags = merging.outputs.tags?.split('\n') ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const reference of tags) {
      const tag = reference.slice(reference.lastIndexOf(':') + 1);
      expect(await registryDigest(environment, pullRequest, tag)).toBe(merging.outputs.digest);
    }
  });

  it('without buildx, either form fails before anything runs, naming the input and the fix', async () => {
    const classic = uniqueRepository('merge-classic');
    const later = await job(workspace, classic, { merge: 'later', platforms: 'linux/amd64' }, false);
    expect(later.exitCode).toBe(1);
    expect(later.log).toMatch(/::error::Input `platforms`: needs docker buildx.*install the buildx plugin/);
    const merging = await job(workspace, classic, { merge: 'linux/amd64' }, false);
    expect(merging.exitCode).toBe(1);
    expect(merging.log).toMatch(
      /::error::Input `merge`: joins the platform images with `docker buildx imagetools create`.*install the buildx plugin/,
    );
    expect(await registryTags(environment, classic)).toEqual([]);
  });
});
