// Retries on the pushes `docker push` does not make: a build that buildx pushes itself, and a merge
// job's `imagetools create`, through the fault proxy the faults tests use.
import { loadEnvironment, userDockerConfig } from './environment.js';
import { proxyForTests } from './fault-proxy.js';
import { type ActionRun, runAction } from './harness.js';
import { registryDigest, registryTags } from './registry.js';
import { copyOnlyApp, makeWorkspace, uniqueRepository, type Workspace } from './workspace.js';

const environment = loadEnvironment();
const proxyHere = proxyForTests(environment.privateRegistry);

/**
 * Faults per build: on the containerd image store, containerd's pusher retries a failed manifest
 * PUT by itself a few times without a word, so it takes more faults for the action to see one;
 * docker's own store (overlay2) hands each failed PUT on.
 */
const FAULTS = environment.leg === 'modern-containerd' ? 14 : 2;
/** buildx's `imagetools create` hands each failed manifest PUT on (on every leg). */
const MERGE_FAULTS = 2;

function job(workspace: Workspace, image: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({
    inputs: {
      image,
      username: environment.user,
      password: environment.password,
      'push-timeout': '20',
      ...inputs,
    },
    workspace: workspace.dir,
    ref: 'refs/heads/main',
    sha: workspace.sha,
    dockerConfig: userDockerConfig(environment, true),
  });
}

function retryWarnings(run: ActionRun): string[] {
  return run.log.split('\n').filter((line) => line.startsWith('::warning::') && line.includes('Retrying in'));
}

function attempts(run: ActionRun, command: string): string[][] {
  const runs: string[][] = [];
  for (const line of run.log.split('\n')) {
    if (line.startsWith(`[command]docker ${command}`)) runs.push([]);
    runs.at(-1)?.push(line);
  }
  return runs;
}

describe(`pushes buildx makes itself retry on the ${environment.leg} leg`, () => {
  it('a build buildx pushes (annotations) through manifest PUT 503s: retried, the build steps from the cache', async () => {
    const proxy = proxyHere();
    const repository = uniqueRepository('retry-build');
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, repository), 'main');
    proxy.setPlan({ fault: '503', count: FAULTS, targets: ['manifest'] });
    const run = await job(workspace, `${proxy.host}/${repository}`, {
      annotations: 'manifest:org.example.retried=yes',
      retries: '3',
    });
    proxy.setPlan(undefined);
    if (run.exitCode !== 0) throw new Error(`the step failed:\n${run.log}`);
    const warnings = retryWarnings(run);
    expect(warnings.length).toBeGreaterThan(0);
    for (const warning of warnings) {
      expect(warning).toMatch(/Push of .* by buildx failed \(attempt \d of 4\): .*503 Service Unavailable/);
    }
    // The retried build ran its COPY step from the cache the failed attempt left.
    const builds = attempts(run, 'buildx build');
    expect(builds.length).toBe(warnings.length + 1);
    expect(builds.at(-1)?.some((line) => /^#\d+ CACHED$/.test(line))).toBe(true);
    expect(await registryTags(environment, repository)).toEqual(['main']);
    expect(run.outputs.digest).toBe(await registryDigest(environment, repository, 'main'));
  });

  it('more 503s than retries: fails clearly after every attempt and leaves no tag', async () => {
    const proxy = proxyHere();
    const repository = uniqueRepository('retry-build-fail');
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, repository), 'main');
    proxy.setPlan({ fault: '503', count: 1000, targets: ['manifest'] });
    const run = await job(workspace, `${proxy.host}/${repository}`, {
      annotations: 'manifest:org.example.retried=yes',
      retries: '1',
    });
    proxy.setPlan(undefined);
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /::error::Push of .* by buildx failed after 2 attempts: .*503 Service Unavailable/,
    );
    expect(await registryTags(environment, repository)).toEqual([]);
  });

  it('a merge job’s index push through manifest PUT 503s: retried, and the digest is the registry’s', async () => {
    const proxy = proxyHere();
    const repository = uniqueRepository('retry-merge');
    const image = `${proxy.host}/${repository}`;
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, repository), 'main');
    const later = await job(workspace, image, { merge: 'later', platforms: 'linux/amd64' });
    if (later.exitCode !== 0) throw new Error(`the platform job failed:\n${later.log}`);
    proxy.setPlan({ fault: '503', count: MERGE_FAULTS, targets: ['manifest'] });
    const run = await job(workspace, image, { merge: 'linux/amd64', retries: '3' });
    proxy.setPlan(undefined);
    if (run.exitCode !== 0) throw new Error(`the merge failed:\n${run.log}`);
    const warnings = retryWarnings(run);
    expect(warnings.length).toBeGreaterThan(0);
    for (const warning of warnings) {
      expect(warning).toMatch(
        /Push of the index to .*:main failed \(attempt \d of 4\): .*503 Service Unavailable/,
      );
    }
    expect(attempts(run, 'buildx imagetools create --tag')).toHaveLength(warnings.length + 1);
    expect(run.outputs.digest).toBe(await registryDigest(environment, repository, 'main'));
  });
});
