import { BUILDERS, loadEnvironment, userDockerConfig } from './environment.js';
import { type Fault, proxyForTests, type Target } from './fault-proxy.js';
import { runAction, runPost } from './harness.js';
import { registryDigest, registryTagComplete, registryTags } from './registry.js';
import { copyOnlyApp, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();

const proxyHere = proxyForTests(environment.privateRegistry);

/**
 * The containerd image store pushes through containerd's pusher, which itself retries a manifest PUT
 * that got a 401 (as an auth challenge), a 429 or a 5xx, and retries blob uploads without saying so:
 * the action sees fewer failures than the registry sent, and "more faults than the engine absorbs"
 * takes a burst of them. Docker's own store (overlay2) leaves every failed manifest PUT to the action.
 */
const ENGINE_RETRIES = environment.leg === 'modern-containerd';
const BURST = ENGINE_RETRIES ? 20 : undefined;

interface ProxyRun {
  fault: Fault;
  count: number;
  targets: Target[];
  retries: number;
  pushTimeout: number;
  /** `cache: false`, or the default cache (on the containerd store, a registry cache export). */
  cache: boolean;
  buildx: boolean;
}

/** One run of the action on `main`, pushing through the fault proxy with `plan`'s faults, then its post step. */
async function pushThroughProxy(plan: ProxyRun) {
  const proxy = proxyHere();
  const repository = uniqueRepository(`fault-${plan.fault}`);
  const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, repository), 'main');
  proxy.setPlan({ fault: plan.fault, count: plan.count, targets: plan.targets });
  proxy.requests.length = 0;
  const run = await runAction({
    inputs: {
      image: `${proxy.host}/${repository}`,
      username: environment.user,
      password: environment.password,
      retries: String(plan.retries),
      'push-timeout': String(plan.pushTimeout),
      ...(plan.cache ? {} : { cache: 'false' }),
    },
    workspace: workspace.dir,
    ref: 'refs/heads/main',
    sha: workspace.sha,
    dockerConfig: userDockerConfig(environment, plan.buildx),
  });
  proxy.setPlan(undefined);
  const post = await runPost(run);
  expect(post.exitCode).toBe(0);
  const manifestPuts = proxy.requests.filter((r) => r.method === 'PUT' && r.url.includes('/manifests/'));
  return { run, repository, manifestPuts, proxy };
}

describe.each(BUILDERS)('pushes through a faulty registry with %s', (_name, buildx) => {
  /**
   * These faults are meant for the push: `cache: false`, so that no registry cache export (the
   * containerd store's default) sends requests of its own through the proxy during the build.
   */
  const pushFaults = (fault: Fault, count: number, targets: Target[], retries: number, pushTimeout = 5) =>
    pushThroughProxy({ fault, count, targets, retries, pushTimeout, cache: false, buildx });

  it.each([
    ['503', 2],
    ['reset', 2],
    ['stall', 1],
    ['429', 1],
  ] as const)('manifest PUT %s ×%i: succeeds with retries = N, logging each cause', async (fault, n) => {
    const { run, repository, manifestPuts, proxy } = await pushFaults(fault, n, ['manifest'], n);
    expect(run.exitCode).toBe(0);
    expect(manifestPuts.map((r) => r.outcome)).toEqual([...Array<Fault>(n).fill(fault), 201]);
    const retries = run.log.split('\n').filter((line) => line.startsWith('::warning::Push of'));
    if (ENGINE_RETRIES) {
      expect(retries.length).toBeLessThanOrEqual(n);
    } else {
      expect(retries).toHaveLength(n);
    }
    const cause = {
      '503': ENGINE_RETRIES
        ? /503 Service Unavailable/
        : /received unexpected HTTP status: 503 Service Unavailable/,
      // Docker 28's pusher (both image stores) may say the second of these when the registry drops it.
      reset: /connection reset by peer|use of closed network connection/,
      stall: /no progress: the push was stopped after 5 s/,
      '429': ENGINE_RETRIES ? /429|too many requests/i : /toomanyrequests: too many requests \(injected\)/,
    }[fault];
    for (const line of retries) expect(line).toMatch(cause);
    expect(await registryTags(environment, repository)).toEqual(['main']);
    expect(await registryTagComplete(environment, repository, 'main')).toBe(true);
    expect(run.outputs.digest).toBe(await registryDigest(environment, repository, 'main'));
    // The registry built every upload URL for the proxy, so the whole push went through it.
    const locations = proxy.requests.flatMap((r) => (r.location === undefined ? [] : [r.location]));
    expect(locations.length).toBeGreaterThan(0);
    for (const location of locations) expect(location.startsWith(`http://${proxy.host}/`)).toBe(true);
  });

  it.each(['503', 'reset'] as const)(
    'manifest PUT %s ×2 with retries 1: fails clearly and leaves no tag',
    async (fault) => {
      const { run, repository, manifestPuts, proxy } = await pushFaults(fault, BURST ?? 2, ['manifest'], 1);
      expect(run.exitCode).toBe(1);
      if (!ENGINE_RETRIES) expect(manifestPuts).toHaveLength(2);
      expect(run.log).toMatch(
        new RegExp(
          `::error::Push of ${proxy.host}/${repository}:main failed after 2 attempts: .*(503|reset)`,
        ),
      );
      expect(run.log).toContain(`Not pushed: ${proxy.host}/${repository}:main`);
      expect(await registryTags(environment, repository)).toEqual([]);
    },
  );

  it('401 on the manifest PUT is not retried', async () => {
    const { run, repository, manifestPuts } = await pushFaults('401', BURST ?? 1, ['manifest'], 3);
    expect(run.exitCode).toBe(1);
    if (!ENGINE_RETRIES) expect(manifestPuts).toHaveLength(1);
    // dockerd says "unauthorized: …", containerd's pusher "error from registry: authentication required".
    expect(run.log).toMatch(
      /failed \(not retried: a retry cannot fix this\): (unauthorized|error from registry: authentication required)/,
    );
    expect(run.log).not.toContain('::warning::Push of');
    expect(await registryTags(environment, repository)).toEqual([]);
  });

  // dockerd waits 5 s before its own retry of a layer, so push-timeout must leave room for that.
  it('a blob upload 503 is retried by dockerd itself; the action never sees it', async () => {
    const { run, repository } = await pushFaults('503', 1, ['upload'], 0, 60);
    expect(run.exitCode).toBe(0);
    // dockerd says it retries; containerd's pusher retries without a word.
    if (!ENGINE_RETRIES) expect(run.log).toMatch(/Retrying in \d+ seconds?/);
    expect(run.log).not.toContain('::warning::Push of');
    expect(await registryTagComplete(environment, repository, 'main')).toBe(true);
  });
});

/**
 * The containerd image store's default cache is a registry cache export (`buildcache-<branch>`,
 * `ignore-error=true`) that BuildKit writes after the image is made. BuildKit puts no deadline on
 * it: a registry that stops answering would hold the build until the job's own timeout.
 */
const CACHE_EXPORT = environment.leg === 'modern-containerd';

describe(`a stalled registry cache export on the ${environment.leg} leg`, () => {
  (CACHE_EXPORT ? it : it.skip)(
    'is stopped after push-timeout with a warning; the image is still pushed and judged on its own',
    async () => {
      // The first manifest PUT of the run is the cache export's (the image's push comes after).
      const { run, repository, proxy } = await pushThroughProxy({
        fault: 'stall',
        count: 1,
        targets: ['manifest'],
        retries: 0,
        pushTimeout: 5,
        cache: true,
        buildx: true,
      });
      const stalled = proxy.requests.filter((r) => r.outcome === 'stall');
      expect(stalled.map((r) => r.url)).toEqual([expect.stringContaining('/manifests/buildcache-main')]);
      expect(run.exitCode).toBe(0);
      expect(run.log).toMatch(
        new RegExp(
          `::warning::The registry cache export to ${proxy.host}/${repository}:buildcache-main was stopped after 5 s`,
        ),
      );
      expect(await registryTags(environment, repository)).toEqual(['main']);
      expect(await registryTagComplete(environment, repository, 'main')).toBe(true);
      expect(run.outputs.digest).toBe(await registryDigest(environment, repository, 'main'));
      expect(run.summary).toContain(
        'ran past `push-timeout` (5 s) and was stopped; the image was made before it',
      );
    },
  );
});
