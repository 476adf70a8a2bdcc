// Tags that move from image to image: release after release, a backport, a re-run of an older
// commit of the default branch; and the version parts, build-arg placeholders, a fork's pull
// request and `latest: default-branch` that go with them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILDERS, loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { type ActionRun, runAction, runPost } from './harness.js';
import { registryDigest, registryLabels, registryTags } from './registry.js';
import { copyOnlyApp, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const login = loginInputs(environment);

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
}

/** Runs the step and its post step, as a job does. */
async function step(options: Parameters<typeof runAction>[0]): Promise<ActionRun> {
  const run = await runAction(options);
  await runPost(run);
  return run;
}

/** Each run's own content, so each gets its own digest. */
function app(text: string): Record<string, string> {
  return copyOnlyApp(environment.baseImage, `${text} ${Math.random()}`);
}

describe.each(BUILDERS)('release tags with %s', (_name, buildx) => {
  const dockerConfig = userDockerConfig(environment, buildx);

  it('two releases in a row move 1, 1.1 and latest; a backport moves 1.0 only, by digest', async () => {
    const repository = uniqueRepository('releases');
    const release = async (version: string): Promise<ActionRun> => {
      const workspace = makeWorkspace(app(version), 'main', true); // actions/checkout: detached at the tag
      return step({
        inputs: { image: repository, ...login },
        workspace: workspace.dir,
        ref: `refs/tags/${version}`,
        sha: workspace.sha,
        dockerConfig,
      });
    };
    const digest = (tag: string) => registryDigest(environment, repository, tag);

    const first = await release('v1.0.0');
    expect(first.exitCode).toBe(0);
    expect(first.outputs.version).toBe('1.0.0');

    const second = await release('v1.1.0');
    expect(second.exitCode).toBe(0);
    expect(second.log).not.toContain('Tag collision');
    expect(second.log).toContain(
      `${environment.privateRegistry}/${repository}:latest moves from version 1.0.0 to 1.1.0.`,
    );
    expect(second.outputs.version).toBe('1.1.0');
    for (const tag of ['1', '1.1', '1.1.0', 'v1.1.0', 'latest'])
      expect(await digest(tag)).toBe(second.outputs.digest);
    for (const tag of ['1.0', '1.0.0', 'v1.0.0']) expect(await digest(tag)).toBe(first.outputs.digest);
    expect(second.outputs.digest).not.toBe(first.outputs.digest);
    expect(await registryLabels(environment, repository, 'latest')).toMatchObject({
      'org.opencontainers.image.version': '1.1.0',
    });

    const backport = await release('v1.0.1');
    expect(backport.exitCode).toBe(0);
    for (const tag of ['1', 'latest']) {
      expect(backport.log).toContain(
        `::notice::${environment.privateRegistry}/${repository}:${tag} stays at version 1.1.0: it is newer than this release (1.0.1)`,
      );
      expect(await digest(tag)).toBe(second.outputs.digest);
    }
    for (const tag of ['1.0', '1.0.1', 'v1.0.1']) expect(await digest(tag)).toBe(backport.outputs.digest);
    expect(await digest('1.1')).toBe(second.outputs.digest);
    expect(backport.log).not.toMatch(new RegExp(`\\[command\\]\\S*docker push \\S+:(1|latest)\\n`));
  });
});

/** A bare "origin" that hands out any commit by its sha, as GitHub does, and a clone that pushes to it. */
function originRepository(): { origin: string; url: string } {
  const origin = mkdtempSync(path.join(os.tmpdir(), 'bpa-origin-'));
  git(origin, 'init', '-q', '--bare', '-b', 'main');
  git(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  return { origin, url: `file://${origin}` };
}

/** Commits `files` on main and pushes it to origin; returns the commit. */
function commitAndPush(clone: string, files: Record<string, string>): string {
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(clone, name), content);
  git(clone, 'add', '.');
  git(clone, 'commit', '-qm', 'change');
  git(clone, 'push', '-q', 'origin', 'HEAD:main');
  return git(clone, 'rev-parse', 'HEAD');
}

/** A workspace as actions/checkout leaves it for `sha` on main: that one commit, fetched shallow. */
function checkout(url: string, sha: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpa-checkout-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'remote', 'add', 'origin', url);
  git(dir, 'fetch', '-q', '--no-tags', '--depth=1', 'origin', sha);
  git(dir, 'checkout', '-q', '-B', 'main', sha);
  return dir;
}

describe.each(BUILDERS)('a branch tag with %s', (_name, buildx) => {
  const dockerConfig = userDockerConfig(environment, buildx);

  it('a re-run of an older commit of main leaves main on the newer image and pushes its short-sha tag', async () => {
    const repository = uniqueRepository('rerun');
    const { url } = originRepository();
    const clone = mkdtempSync(path.join(os.tmpdir(), 'bpa-clone-'));
    git(clone, 'init', '-q', '-b', 'main');
    git(clone, 'remote', 'add', 'origin', url);
    const a = commitAndPush(clone, app('A'));
    const b = commitAndPush(clone, app('B'));
    // Each run's push event, as GitHub sends it: the branch moved from `before` to `after`.
    const push = (sha: string, before: string, workspace = checkout(url, sha)) =>
      step({
        inputs: { image: repository, ...login, tag: '{ref}\n{short-sha}' },
        workspace,
        ref: 'refs/heads/main',
        sha,
        dockerConfig,
        payload: { before, after: sha },
      });
    const digest = (tag: string) => registryDigest(environment, repository, tag);

    const runA = await push(a, '0'.repeat(40));
    expect(runA.exitCode).toBe(0);
    // The push from A to B says that B does not contain A: main moves, with neither the API nor git
    // asked (a checkout without origin, where git could not tell, would say so in a note).
    const noOrigin = checkout(url, b);
    git(noOrigin, 'remote', 'remove', 'origin');
    const runB = await push(b, a, noOrigin);
    expect(runB.exitCode).toBe(0);
    expect(runB.log).not.toContain('stays at');
    expect(runB.log).not.toContain('Could not tell');
    expect(await digest('main')).toBe(runB.outputs.digest);

    const rerun = await push(a, '0'.repeat(40));
    expect(rerun.exitCode).toBe(0);
    expect(rerun.log).toContain(
      `::notice::${environment.privateRegistry}/${repository}:main stays at ${b.slice(0, 7)}: that commit already contains this run's ${a.slice(0, 7)} (git history)`,
    );
    expect(await digest('main')).toBe(runB.outputs.digest);
    expect(await registryLabels(environment, repository, 'main')).toMatchObject({
      'org.opencontainers.image.revision': b,
    });
    expect(await digest(a.slice(0, 7))).toBe(rerun.outputs.digest);
    expect(rerun.outputs.digest).not.toBe('');
  });
});

describe('templates and build-args with version parts (buildx)', () => {
  const dockerConfig = userDockerConfig(environment, true);

  it('v{major}.{minor} and {version}-slim on a release; a pre-release skips the first with a notice', async () => {
    const repository = uniqueRepository('parts');
    const run = async (version: string) => {
      const workspace = makeWorkspace(app(version), 'main', true);
      return step({
        inputs: { image: repository, ...login, tag: 'v{major}.{minor}\n{version}-slim', semver: 'false' },
        workspace: workspace.dir,
        ref: `refs/tags/${version}`,
        sha: workspace.sha,
        dockerConfig,
      });
    };
    const release = await run('v2.3.4');
    expect(release.exitCode).toBe(0);
    expect(release.outputs.tag).toBe('v2.3');
    const rc = await run('v3.0.0-rc.1');
    expect(rc.exitCode).toBe(0);
    expect(rc.log).toContain(
      '::notice::Tag template "v{major}.{minor}" skipped: 3.0.0-rc.1 is a pre-release, which moves no version tag.',
    );
    expect(await registryTags(environment, repository)).toEqual([
      '2.3.4-slim',
      '3.0.0-rc.1-slim',
      'latest',
      'v2.3',
    ]);
    expect(await registryDigest(environment, repository, 'v2.3')).toBe(release.outputs.digest);
  });

  it('VERSION={version}, REVISION={sha} and BUILD_DATE={build-date} reach the image', async () => {
    const repository = uniqueRepository('buildargs');
    const dockerfile =
      `FROM ${environment.baseImage}\nARG VERSION=dev\nARG REVISION=none\nARG BUILD_DATE=never\n` +
      'LABEL com.acme.version=$VERSION com.acme.revision=$REVISION com.acme.built=$BUILD_DATE\n';
    const build = async (ref: string) => {
      const workspace = makeWorkspace(
        { Dockerfile: dockerfile, 'x.txt': String(Math.random()) },
        'main',
        true,
      );
      const run = await step({
        inputs: {
          image: repository,
          ...login,
          tag: '{short-sha}',
          'build-args': 'VERSION={version}\nREVISION={sha}\nBUILD_DATE={build-date}\nJSON={"a":1}',
        },
        workspace: workspace.dir,
        ref,
        sha: workspace.sha,
        dockerConfig,
      });
      expect(run.exitCode).toBe(0);
      return {
        run,
        labels: await registryLabels(environment, repository, workspace.sha.slice(0, 7)),
        workspace,
      };
    };
    const release = await build('refs/tags/v4.5.6');
    expect(release.labels['com.acme.version']).toBe('4.5.6');
    expect(release.labels['com.acme.revision']).toBe(release.workspace.sha);
    expect(release.labels['com.acme.built']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(release.run.log).toContain('--build-arg JSON={"a":1}'); // braces that are no placeholder pass through

    const branch = await build('refs/heads/main');
    expect(branch.labels['com.acme.version']).toBe('dev');
    expect(branch.run.log).toContain(
      'Build argument "VERSION={version}" left out: {version} has no value on this run',
    );
  });

  it('an unknown placeholder in build-args stops the step before anything runs, naming the input', async () => {
    const workspace = makeWorkspace(app('bad'), 'main');
    const run = await step({
      inputs: { image: uniqueRepository('bad'), ...login, 'build-args': 'VERSION={verison}' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(
      'Input `build-args`: line "VERSION={verison}" uses unknown placeholder {verison}',
    );
    expect(run.log).not.toMatch(/\[command\]\S*docker/);
  });
});

describe('pull requests and the default branch (buildx)', () => {
  const dockerConfig = userDockerConfig(environment, true);
  const MERGE_SHA = 'f'.repeat(40);

  function pullRequestFrom(headRepository: string, headSha: string): Record<string, unknown> {
    return {
      number: 5,
      pull_request: {
        number: 5,
        head: { ref: 'main', sha: headSha, repo: { full_name: headRepository } },
        base: { ref: 'main', repo: { full_name: 'acme/app' } },
      },
      repository: { full_name: 'acme/app', default_branch: 'main' },
    };
  }

  it("a fork's pull request with empty secrets tests, builds and tests in the image, and logs in and pushes nothing", async () => {
    const repository = uniqueRepository('fork');
    const workspace = makeWorkspace(app('fork'), 'main', true);
    const run = await step({
      inputs: {
        image: repository,
        ...login,
        // A fork's secrets are empty: `password: ${{ secrets.REGISTRY_TOKEN }}`, and a
        // registry-auth entry for Docker Hub fed by secrets.
        password: '',
        'registry-auth': '- username: \n  password: \n',
        'test-command': 'echo unit-tests-ran',
        'test-in-image': 'true',
      },
      workspace: workspace.dir,
      ref: 'refs/pull/5/merge',
      sha: MERGE_SHA,
      eventName: 'pull_request',
      payload: pullRequestFrom('someone/app', workspace.sha),
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('::notice::Not pushing: pull request #5 comes from a fork');
    expect(run.log).toContain('unit-tests-ran');
    expect(run.log).toContain('Test inside the built image');
    expect(run.log).not.toMatch(/\[command\]\S*docker (login|push)/);
    expect(run.outputs.digest).toBe('');
    expect(await registryTags(environment, repository)).toEqual([]);
  });

  it("a merge job of a fork's pull request logs in to, finds and pushes nothing, and says why", async () => {
    const repository = uniqueRepository('forkmerge');
    const workspace = makeWorkspace(app('forkmerge'), 'main', true);
    const run = await step({
      inputs: { image: repository, ...login, password: '', merge: 'linux/amd64,linux/arm64' },
      workspace: workspace.dir,
      ref: 'refs/pull/5/merge',
      sha: MERGE_SHA,
      eventName: 'pull_request',
      payload: pullRequestFrom('someone/app', workspace.sha),
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('::notice::Not pushing: pull request #5 comes from a fork');
    expect(run.log).toContain('This merge job finds and pushes nothing');
    expect(run.log).not.toMatch(/\[command\]\S*docker (login|buildx imagetools|push)/);
    expect(run.outputs.digest).toBe('');
    expect(await registryTags(environment, repository)).toEqual([]);
  });

  it('an empty password on a push of a branch is the error naming the input, before anything runs', async () => {
    const workspace = makeWorkspace(app('empty-password'), 'main');
    const run = await step({
      inputs: {
        image: uniqueRepository('emptypassword'),
        ...login,
        password: '',
        'test-command': 'echo ran',
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('Input `password`: is empty but `username` is set');
    expect(run.log).not.toContain('tests-2'); // the tests did not run
    expect(run.log).not.toMatch(/\[command\]\S*docker (login|build|buildx build|push)/);
  });

  it("push-forks: true pushes a fork's pull request, tagged and labelled by its head commit", async () => {
    const repository = uniqueRepository('pushfork');
    const workspace = makeWorkspace(app('fork'), 'main', true);
    const run = await step({
      inputs: { image: repository, ...login, 'push-forks': 'true', tag: '{ref}\n{short-sha}' },
      workspace: workspace.dir,
      ref: 'refs/pull/5/merge',
      sha: MERGE_SHA,
      eventName: 'pull_request',
      payload: pullRequestFrom('someone/app', workspace.sha),
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect(await registryTags(environment, repository)).toEqual([workspace.sha.slice(0, 7), 'pr-5']);
    expect(await registryLabels(environment, repository, 'pr-5')).toMatchObject({
      'org.opencontainers.image.revision': workspace.sha,
    });
  });

  it('latest: default-branch tags latest on the default branch and nowhere else', async () => {
    const repository = uniqueRepository('defaultbranch');
    const push = async (branch: string) => {
      const workspace = makeWorkspace(app(branch), branch);
      return step({
        inputs: { image: repository, ...login, latest: 'default-branch' },
        workspace: workspace.dir,
        ref: `refs/heads/${branch}`,
        sha: workspace.sha,
        payload: { repository: { full_name: 'acme/app', default_branch: 'main' } },
        dockerConfig,
      });
    };
    const main = await push('main');
    expect(main.exitCode).toBe(0);
    const dev = await push('dev');
    expect(dev.exitCode).toBe(0);
    expect(await registryTags(environment, repository)).toEqual(['dev', 'latest', 'main']);
    expect(await registryDigest(environment, repository, 'latest')).toBe(main.outputs.digest);
  });
});
