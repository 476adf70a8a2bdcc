// Security rebuilds (`rebuild: base-changed`): the image records its base image's digest, a later
// run rebuilds only when the base tag has moved since, and then pulls it anew and runs the tests.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILDERS, loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { type ActionRun, runAction, runPost } from './harness.js';
import { registryDigest, registryLabels } from './registry.js';
import { docker, localImageExists, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

/** The digest the public (no-auth) registry reports for a reference there. */
async function publicDigest(reference: string): Promise<string> {
  const [, repository, tag] = /^[^/]+\/(.+):([^:/]+)$/.exec(reference) ?? [];
  const url = `http://${environment.publicRegistry}/v2/${repository}/manifests/${tag}`;
  const response = await fetch(url, {
    method: 'HEAD',
    headers: {
      Accept: [
        'application/vnd.docker.distribution.manifest.v2+json',
        'application/vnd.oci.image.manifest.v1+json',
      ].join(', '),
    },
  });
  const digest = response.headers.get('docker-content-digest');
  if (!response.ok || digest === null) throw new Error(`HEAD ${url}: ${response.status}`);
  return digest;
}

/** Pushes v1 (the e2e base image) as `base`; returns a function that pushes v2 (v1 plus a file) to the same tag. */
function pushBaseV1(base: string): () => void {
  docker(['pull', '--quiet', environment.baseImage]);
  docker(['tag', environment.baseImage, base]);
  docker(['push', '--quiet', base]);
  return () => {
    const context = mkdtempSync(path.join(os.tmpdir(), 'bpa-base-v2-'));
    writeFileSync(path.join(context, 'Dockerfile'), `FROM ${base}\nCOPY v2 /v2\n`);
    writeFileSync(path.join(context, 'v2'), 'v2\n');
    docker(['build', '--quiet', '--tag', base, context], { DOCKER_BUILDKIT: '0' });
    docker(['push', '--quiet', base]);
  };
}

/** Removes an image from this machine (all its tags), so a run that needed it would have to pull it. */
function forget(reference: string): void {
  if (localImageExists(reference)) docker(['image', 'rm', '--force', reference]);
}

/**
 * The docker commands of this run that match `command` and name one of `names` (the /proc sampling
 * also sees other processes on the machine, e.g. other suites' builds).
 */
function dockerArgv(run: ActionRun, command: RegExp, names: string[]): string[] {
  return run.argvSeen.filter(
    (argv) => /^\S*docker /.test(argv) && command.test(argv) && names.some((name) => argv.includes(name)),
  );
}

describe.each(BUILDERS)('rebuild: base-changed with %s', (_name, buildx) => {
  const dockerConfig = userDockerConfig(environment, buildx);
  const login = loginInputs(environment);

  it('builds only when the base image moved: nothing on the same base, a tested rebuild on a new one', async () => {
    const base = `${environment.publicRegistry}/${uniqueRepository('base-busybox')}:stable`;
    const pushBaseV2 = pushBaseV1(base);
    const v1 = await publicDigest(base);
    const repository = uniqueRepository('rebuild');
    const reference = `${environment.privateRegistry}/${repository}:main`;
    const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'bpa-tests-ran-')), 'ran');
    writeFileSync(marker, '');
    const workspace = makeWorkspace({
      Dockerfile: `ARG BASE=${base}\nFROM \${BASE} AS run\nCOPY hello.txt /app/hello.txt\n`,
      'hello.txt': 'hello\n',
    });
    const run = async (rebuild: string): Promise<ActionRun> => {
      const result = await runAction({
        inputs: { image: repository, ...login, rebuild, 'test-command': `echo ran >> '${marker}'` },
        workspace: workspace.dir,
        ref: 'refs/heads/main',
        sha: workspace.sha,
        dockerConfig,
        watchArgv: true,
      });
      if (result.exitCode !== 0) throw new Error(result.log);
      expect((await runPost(result)).exitCode).toBe(0);
      return result;
    };
    const testRuns = (): number => readFileSync(marker, 'utf8').split('\n').filter(Boolean).length;

    // The first build records the base: its name as the FROM names it, its digest in the registry.
    const first = await run('always');
    const d1 = first.outputs.digest ?? '';
    expect(d1).toMatch(/^sha256:/);
    expect(first.outputs).toMatchObject({ rebuilt: 'true', 'base-digest': v1 });
    expect(await registryLabels(environment, repository, 'main')).toMatchObject({
      [BASE_NAME]: base,
      [BASE_DIGEST]: v1,
    });
    expect(testRuns()).toBe(1);

    // Same base: no test, no build, no push, no pull; the tag keeps D1. Neither the app nor the base
    // is on this machine, so any pull or build would have to bring them back.
    forget(reference);
    forget(base);
    const same = await run('base-changed');
    expect(same.outputs).toMatchObject({ rebuilt: 'false', digest: d1, 'base-digest': v1 });
    expect(testRuns()).toBe(1);
    expect(dockerArgv(same, /\b(pull|build|push)\b/, [repository, base])).toEqual([]);
    expect(dockerArgv(same, /\blogin\b/, [environment.privateRegistry])).toEqual([]);
    expect(localImageExists(reference)).toBe(false);
    expect(localImageExists(base)).toBe(false);
    expect(await registryDigest(environment, repository, 'main')).toBe(d1);
    expect(same.summary).toContain('Nothing to rebuild');
    expect(same.summary).toMatch(/Base `[^`]+` unchanged since \S+, nothing to rebuild/);

    // v2 on the same tag: rebuilt on it (pulled anew), tested, pushed, and recorded.
    pushBaseV2();
    const v2 = await publicDigest(base);
    expect(v2).not.toBe(v1);
    forget(base);
    docker(['pull', '--quiet', environment.baseImage]);
    docker(['tag', environment.baseImage, base]); // a stale v1 here: the rebuild must not use it
    const changed = await run('base-changed');
    const d2 = changed.outputs.digest ?? '';
    expect(changed.outputs).toMatchObject({ rebuilt: 'true', 'base-digest': v2 });
    expect(d2).toMatch(/^sha256:/);
    expect(d2).not.toBe(d1);
    expect(await registryDigest(environment, repository, 'main')).toBe(d2);
    expect(await registryLabels(environment, repository, 'main')).toMatchObject({
      [BASE_NAME]: base,
      [BASE_DIGEST]: v2,
    });
    expect(testRuns()).toBe(2);
    expect(docker(['run', '--rm', '--network', 'none', reference, 'cat', '/v2'])).toBe('v2');
    expect(dockerArgv(changed, /\bbuild\b.*--pull\b/, [repository]).length).toBeGreaterThan(0);
    expect(changed.summary).toContain(`\`${v1}\` → \`${v2}\``);
  });

  it('rebuilds an image pushed without the base labels, which then carries them', async () => {
    const base = `${environment.publicRegistry}/${uniqueRepository('base-busybox')}:stable`;
    pushBaseV1(base);
    const repository = uniqueRepository('rebuild-unlabelled');
    const reference = `${environment.privateRegistry}/${repository}:main`;
    docker(
      ['login', '--username', environment.user, '--password-stdin', environment.privateRegistry],
      { DOCKER_CONFIG: dockerConfig },
      environment.password,
    );
    docker(['tag', base, reference]);
    docker(['push', '--quiet', reference], { DOCKER_CONFIG: dockerConfig });
    docker(['logout', environment.privateRegistry], { DOCKER_CONFIG: dockerConfig });
    const before = await registryDigest(environment, repository, 'main');
    expect(await registryLabels(environment, repository, 'main')).not.toHaveProperty(BASE_DIGEST);

    const workspace = makeWorkspace({
      Dockerfile: `FROM ${base}\nCOPY hello.txt /hello.txt\n`,
      'hello.txt': 'hi\n',
    });
    const run = await runAction({
      inputs: { image: repository, ...login, rebuild: 'base-changed' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect((await runPost(run)).exitCode).toBe(0);
    expect(run.log).toContain('records no base image digest');
    expect(run.outputs.rebuilt).toBe('true');
    expect(run.outputs.digest).not.toBe(before);
    expect(await registryLabels(environment, repository, 'main')).toMatchObject({
      [BASE_NAME]: base,
      [BASE_DIGEST]: await publicDigest(base),
    });
  });

  it('fails clearly, building nothing, when the base cannot be read', async () => {
    const base = `${environment.publicRegistry}/${uniqueRepository('no-such-base')}:stable`;
    const repository = uniqueRepository('rebuild-unreadable');
    const workspace = makeWorkspace({ Dockerfile: `FROM ${base}\n` });
    const run = await runAction({
      inputs: { image: repository, ...login, rebuild: 'base-changed' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
      watchArgv: true,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(`cannot read base image ${base} (its registry has no such tag)`);
    expect(dockerArgv(run, /\b(build|push)\b/, [repository])).toEqual([]);
    expect(await registryDigest(environment, repository, 'main')).toBeUndefined();
  });
});
