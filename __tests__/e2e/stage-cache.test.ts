import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pruneBuildCache } from './build-cache.js';
import { loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { type ActionRun, runAction, runPost } from './harness.js';
import { registryCacheTags, registryDigest, registryTags } from './registry.js';
import { docker, localImageIds, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
/** Engines whose docker driver can export a registry cache of every stage (containerd image store). */
const everyStage = environment.leg === 'modern-containerd';

/** The article's shape: a builder stage with tools and wheels, a slim final stage installing them. */
function multiStageApp(marker: string): Record<string, string> {
  return {
    Dockerfile:
      `FROM ${environment.baseImage} AS builder\n` +
      `RUN echo tools-${marker} && date +%s%N > /tools\n` +
      'COPY requirements.txt /src/\n' +
      'RUN cat /src/requirements.txt > /wheels && date +%s%N >> /wheels\n' +
      `FROM ${environment.baseImage}\n` +
      'COPY --from=builder /wheels /app/wheels\n' +
      'RUN cat /app/wheels > /app/installed\n' +
      'COPY code.txt /app/\n',
    'requirements.txt': 'flask\n',
    'code.txt': 'v1\n',
  };
}

/** Commits `text` as `file`; `committed` sets the commit's time (an ISO date), else it is now. */
function commit(dir: string, file: string, text: string, committed?: string): string {
  writeFileSync(path.join(dir, file), text);
  const env = committed === undefined ? process.env : { ...process.env, GIT_COMMITTER_DATE: committed };
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args], {
      cwd: dir,
      encoding: 'utf8',
      env,
    }).trim();
  git('commit', '-qam', `change ${file}`);
  return git('rev-parse', 'HEAD');
}

/** Whether BuildKit reported the step whose line holds `text` as taken from the cache. */
function stepCached(run: ActionRun, text: string): boolean {
  const id = new RegExp(
    String.raw`^#(\d+) \[[^\]]+\] ${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    'm',
  ).exec(run.log)?.[1];
  if (id === undefined) throw new Error(`the build printed no step ${text}`);
  // CACHED, or (a layer from the registry cache on a machine without it) the layer's download.
  return new RegExp(`^#${id} (CACHED$|(extracting )?sha256:[0-9a-f]{64} )`, 'm').test(run.log);
}

/**
 * The modern legs (Docker 28.5), as issue 25 asks. On Docker 20.10 (buildx 0.13) `buildx prune
 * --filter id=…` left this test's first cache record in place (cause not looked into), and pruning
 * all build cache would disturb the other suites on the shared daemon.
 */
const MODERN = environment.leg !== 'legacy';

(MODERN ? describe : describe.skip)(
  `every stage cached on a fresh runner (modern legs only; this is ${environment.leg})`,
  () => {
    const dockerConfig = userDockerConfig(environment, true);
    const env = { DOCKER_CONFIG: dockerConfig };
    /** Runs the action on `main` of `dir` at `sha`, pushing to `repository`. */
    const builder =
      (repository: string, dir: string) =>
      (sha: string, inputs: Record<string, string> = {}) =>
        runAction({
          inputs: { image: repository, ...loginInputs(environment), ...inputs },
          workspace: dir,
          ref: 'refs/heads/main',
          sha,
          payload: { repository: { full_name: 'acme/app', default_branch: 'main' } },
          dockerConfig,
        });
    /** A fresh runner: this test's images and build cache gone, the registry kept. */
    const freshRunner = (repository: string, marker: string) => {
      const ids = localImageIds(`${environment.privateRegistry}/${repository}`);
      if (ids.length > 0) docker(['image', 'rm', '--force', ...ids]);
      pruneBuildCache(marker, env);
    };

    it('a code-only commit after a fresh prune takes every step before the code copy from the cache', async () => {
      // The commit's time changes with every commit: as a SOURCE_DATE_EPOCH build-arg it would stamp
      // every WORKDIR, COPY and ADD, so none of them, nor anything after them, would come from the cache.
      const repository = uniqueRepository('stages-code');
      const marker = Math.random().toString(36).slice(2);
      const workspace = makeWorkspace(
        {
          Dockerfile:
            `FROM ${environment.baseImage} AS builder\n` +
            `RUN echo tools-${marker} > /tools\n` +
            'WORKDIR /build\n' +
            'COPY requirements.txt ./\n' +
            'RUN cat requirements.txt > /wheels && date +%s%N >> /wheels\n' +
            `FROM ${environment.baseImage}\n` +
            `RUN echo final-${marker} > /final\n` +
            'WORKDIR /app\n' +
            'COPY --from=builder /wheels ./wheels\n' +
            'RUN cat wheels > installed && date +%s%N >> installed\n' +
            'COPY code.txt ./\n',
          'requirements.txt': 'flask\n',
          'code.txt': 'v1\n',
        },
        'main',
      );
      const build = builder(repository, workspace.dir);
      const first = await build(workspace.sha);
      expect(first.exitCode).toBe(0);
      await runPost(first);

      freshRunner(repository, marker);

      // An hour later than now: another commit time for certain.
      const later = new Date(Date.now() + 3_600_000).toISOString();
      const second = await build(commit(workspace.dir, 'code.txt', 'v2\n', later));
      expect(second.exitCode).toBe(0);
      await runPost(second);
      expect(second.log).not.toMatch(/--build-arg SOURCE_DATE_EPOCH=/);
      for (const step of [
        'WORKDIR /app',
        'COPY --from=builder /wheels ./wheels',
        'RUN cat wheels > installed',
      ]) {
        expect([step, stepCached(second, step)]).toEqual([step, true]);
      }
      expect(stepCached(second, 'COPY code.txt ./')).toBe(false);
    });

    it("a requirements change after a fresh prune reuses the builder stage's tools step", async () => {
      const repository = uniqueRepository('stages');
      const marker = Math.random().toString(36).slice(2);
      const workspace = makeWorkspace(multiStageApp(marker), 'main');
      const build = builder(repository, workspace.dir);
      const first = await build(workspace.sha);
      expect(first.exitCode).toBe(0);
      await runPost(first);
      expect(await registryTags(environment, repository)).toEqual(['main']);
      expect(await registryCacheTags(environment, repository)).toEqual(everyStage ? ['buildcache-main'] : []);

      freshRunner(repository, marker);

      const sha = commit(workspace.dir, 'requirements.txt', 'flask\nrequests\n');
      const second = await build(sha);
      expect(second.exitCode).toBe(0);
      await runPost(second);
      const buildLine =
        second.log.split('\n').find((line) => line.startsWith('[command]docker buildx build')) ?? '';
      if (everyStage) {
        const cache = `${environment.privateRegistry}/${repository}:buildcache-main`;
        expect(buildLine).toContain(`--cache-from type=registry,ref=${cache}`);
        expect(buildLine).toContain(`--cache-to type=registry,ref=${cache},mode=max,ignore-error=true`);
        expect(second.log).not.toContain('[command]docker pull');
      } else {
        expect(buildLine).toContain('--cache-to type=inline');
      }
      // The build's own cache report: the tools step came from the registry only where every stage is cached.
      expect(stepCached(second, `RUN echo tools-${marker}`)).toBe(everyStage);
      expect(stepCached(second, 'COPY requirements.txt /src/')).toBe(false);

      // Why it was slow: per stage, its first step not from the cache, at its Dockerfile line.
      const since = workspace.sha.slice(0, 7);
      if (everyStage) {
        const line = second.summary.split('\n').find((text) => text.includes('`Dockerfile:3`')) ?? '';
        expect(line).toContain(
          `\`Dockerfile:3\` \`COPY requirements.txt /src/\` (stage \`builder\`): requirements.txt changed since ${since} — `,
        );
        expect(line).toMatch(/— \d+\.\d s from here$/);
      } else {
        expect(second.summary).toContain('`Dockerfile:2`');
        expect(second.summary).toContain(
          "this stage is not in the cache: docker's overlay2 image store keeps only the final stage",
        );
      }
      // How big it got, against the default branch's image as the registry held it before this push.
      const main = `${environment.privateRegistry}/${repository}:main`;
      expect(second.summary).toMatch(
        new RegExp(`\\*\\*Size:\\*\\* (about )?[+−][\\d.]+ k?B \\([+−][\\d.]+ %\\) against ${main}`),
      );

      // The size gate: a code change that adds 200 kB of incompressible bytes, with 1 kB allowed.
      const pushed = await registryDigest(environment, repository, 'main');
      const big = commit(workspace.dir, 'code.txt', randomBytes(200_000).toString('base64'));
      const gated = await build(big, { 'max-size-increase': '1kB' });
      expect(gated.exitCode).toBe(1);
      expect(gated.log).toMatch(
        /::error[^:]*::Input `max-size-increase`: the image grew by about \+\d+(\.\d+)? kB .* against .*, more than the 1.00 kB allowed; nothing was pushed/,
      );
      expect(gated.log).not.toMatch(/\[command\]docker push /);
      expect(gated.summary).toContain('`COPY code.txt /app/`');
      expect(await registryDigest(environment, repository, 'main')).toBe(pushed);
      await runPost(gated);
    });
  },
);
