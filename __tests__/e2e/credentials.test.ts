import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { BUILDERS, loadEnvironment, userDockerConfig, loginInputs } from './environment.js';
import { runAction, runPost } from './harness.js';
import { registryTags } from './registry.js';
import { makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const files = (text: string) => ({
  Dockerfile: `FROM ${environment.baseImage}\nCOPY hello.txt /app/hello.txt\n`,
  'hello.txt': `${text}\n`,
});

function filesHolding(dir: string, secret: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile() && readFileSync(file, 'utf8').includes(secret));
}

describe('credentials', () => {
  const login = loginInputs(environment);

  it('a main step cancelled right after the login: post still removes the login, nothing keeps the password', async () => {
    const repository = uniqueRepository('cancel');
    const workspace = makeWorkspace(files(repository), 'main');
    const run = await runAction({
      inputs: { image: repository, ...login },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, true),
      watchArgv: true,
      stopWhen: { pattern: /Login Succeeded/, signal: 'SIGTERM' },
    });
    expect(run.exitCode).toBe(143);
    const jobDir = run.state.jobDir ?? '';
    expect(jobDir.startsWith(run.runnerTemp)).toBe(true);
    // The login was really written to the job's folder before the cancel...
    const config = readFileSync(path.join(jobDir, 'docker-config', 'config.json'), 'utf8');
    expect(config).toContain(environment.privateRegistry);
    expect(statSync(jobDir).mode & 0o777).toBe(0o700);

    const post = await runPost(run);
    expect(post.exitCode).toBe(0);
    // ...and the post step removed it.
    expect(existsSync(jobDir)).toBe(false);
    expect(filesHolding(run.runnerDir, environment.password)).toEqual([]);
    const basic = Buffer.from(`${environment.user}:${environment.password}`).toString('base64');
    expect(filesHolding(run.runnerDir, basic)).toEqual([]);
    expect(run.log.split('\n').slice(1).join('\n')).not.toContain(environment.password);
    expect(JSON.stringify(run.state)).not.toContain(environment.password);
    expect(run.argvSeen.filter((argv) => argv.includes(environment.password))).toEqual([]);
    expect(run.argvSeen.some((argv) => argv.includes('login --username'))).toBe(true);
    expect(await registryTags(environment, repository)).toEqual([]);
  });

  it("two jobs at once on one machine: the one without credentials never uses the other's login", async () => {
    const shared = userDockerConfig(environment, true); // the machine's one docker config
    const withLogin = uniqueRepository('concurrent-a');
    const withoutLogin = uniqueRepository('concurrent-b');
    const a = makeWorkspace(files(withLogin), 'main');
    const b = makeWorkspace(files(withoutLogin), 'main');
    const [runA, runB] = await Promise.all([
      runAction({
        inputs: { image: withLogin, ...login },
        workspace: a.dir,
        ref: 'refs/heads/main',
        sha: a.sha,
        dockerConfig: shared,
      }),
      runAction({
        inputs: { image: `${environment.privateRegistry}/${withoutLogin}` },
        workspace: b.dir,
        ref: 'refs/heads/main',
        sha: b.sha,
        dockerConfig: shared,
      }),
    ]);
    expect(runA.exitCode).toBe(0);
    expect(runB.exitCode).toBe(1);
    // Its tag collision check (on-collision: fail) cannot read the tag without a login: it stops there.
    expect(runB.log).toMatch(/::error::.*asks for a login and docker has none for it/);
    expect(runA.jobDir).toBeDefined();
    expect(runA.jobDir).not.toBe(runB.jobDir);
    expect(await registryTags(environment, withLogin)).toEqual(['main']);
    expect(await registryTags(environment, withoutLogin)).toEqual([]);
    const sharedConfig = path.join(shared, 'config.json');
    expect(existsSync(sharedConfig) ? readFileSync(sharedConfig, 'utf8') : '').not.toContain(
      environment.privateRegistry,
    );
    // Both main steps removed their own folders; the failed one still gets its post step.
    expect(existsSync(runA.jobDir ?? '')).toBe(false);
    expect(existsSync(runB.jobDir ?? '')).toBe(false);
    expect((await runPost(runB)).exitCode).toBe(0);
  });
});

describe('broken input and environment', () => {
  const dockerConfig = userDockerConfig(environment, true);

  async function attempt(
    inputs: Record<string, string>,
    env: Record<string, string> = {},
    fileSet = files('x'),
  ) {
    const workspace = makeWorkspace(fileSet, 'main');
    const run = await runAction({
      inputs,
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
      env,
    });
    await runPost(run);
    return run;
  }

  it('daemon not running: a clear error, nothing else runs', async () => {
    const run = await attempt(
      { image: uniqueRepository('nodaemon') },
      { DOCKER_HOST: 'unix:///tmp/bpa-no-such-docker.sock' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(/::error::The Docker daemon is not reachable: .*bpa-no-such-docker\.sock/);
    expect(run.log).not.toMatch(/\[command\]\S*docker (build|buildx|push)/);
  });

  it('registry unreachable (closed port): with on-collision: fail, stops at the unreadable tag before building', async () => {
    const run = await attempt({ image: `127.0.0.1:1/${uniqueRepository('closed')}` });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /::error::127\.0\.0\.1:1\/.*: could not read what the tag holds now \(.*\), so the tag collision check cannot tell whose image the tag holds\. Nothing was pushed: with `on-collision: fail` such a tag is not pushed over\./,
    );
    expect(run.log).not.toMatch(/\[command\]\S*docker (build |buildx build |push )/);
  });

  it('registry unreachable (closed port), on-collision: warn: retried, then a clear failure with nothing pushed', async () => {
    const run = await attempt({
      image: `127.0.0.1:1/${uniqueRepository('closed')}`,
      retries: '1',
      'on-collision': 'warn',
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /::warning::127\.0\.0\.1:1\/.*pushing without the tag collision check \(on-collision: warn\)/,
    );
    expect(run.log).toMatch(
      /::warning::Push of 127\.0\.0\.1:1\/.* failed \(attempt 1 of 2\): .*connection refused/,
    );
    expect(run.log).toMatch(
      /::error::Push of 127\.0\.0\.1:1\/.* failed after 2 attempts: .*connection refused/,
    );
    expect(run.log).toContain('Pushed: nothing');
    expect(run.outputs.digest ?? '').toBe('');
  });

  it.each([
    [
      'missing Dockerfile',
      { file: 'nope/Dockerfile' },
      /::error::Input `file`: file .*nope\/Dockerfile does not exist/,
    ],
    [
      'missing context',
      { context: 'no-such-dir' },
      /::error::Input `context`: directory .*no-such-dir does not exist/,
    ],
  ])('%s: a clear error before anything runs', async (_name, inputs, message) => {
    const run = await attempt({ image: uniqueRepository('missing'), ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(message);
    expect(run.log).not.toMatch(/\[command\]/);
  });
});

describe.each(BUILDERS)('disk full while building, with %s', (_name, buildx) => {
  it('fails naming the full device and the step, and pushes nothing', async () => {
    const repository = uniqueRepository('diskfull');
    // /dev/shm is a 64 MiB tmpfs in every build container: writing more fills it for real.
    const workspace = makeWorkspace(
      {
        Dockerfile: `FROM ${environment.baseImage}\nRUN dd if=/dev/zero of=/dev/shm/fill bs=1M count=256\nUSER app\n`,
      },
      'main',
    );
    const run = await runAction({
      inputs: {
        image: repository,
        ...loginInputs(environment),
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, buildx),
    });
    await runPost(run);
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /::error file=Dockerfile,line=2::Build failed at .*RUN dd if=\/dev\/zero.*No space left on device/,
    );
    expect(run.log).not.toMatch(/\[command\]\S*docker push/);
    expect(await registryTags(environment, repository)).toEqual([]);
  });
});
