import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { BUILDERS, loadEnvironment, userDockerConfig, loginInputs } from './environment.js';
import { type ActionRun, runAction, runPost } from './harness.js';
import { registryTags } from './registry.js';
import { docker, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const PREFIX = 'build-test-push-in-image-';

/** An app whose image has /app/hello.txt and runs as the non-root user `app` (uid 10001). */
const app = {
  Dockerfile: `FROM ${environment.baseImage}\nCOPY hello.txt /app/hello.txt\nUSER app\nENTRYPOINT ["/bin/false"]\n`,
  'hello.txt': 'hello from the image\n',
};

/** The container name the action printed in its plan. */
function containerName(run: ActionRun): string {
  const match = new RegExp(`--name (${PREFIX}[0-9a-f-]+)`).exec(run.log);
  if (match?.[1] === undefined) throw new Error(`no container name in the log:\n${run.log}`);
  return match[1];
}

/** Every container (running or not) of that exact name; [] when it is gone. */
function containers(name: string): string[] {
  return docker(['ps', '--all', '--quiet', '--filter', `name=^${name}$`])
    .split('\n')
    .filter(Boolean);
}

/** The container's state (`created`, `running`, ...); undefined when there is no such container. */
function containerState(name: string): string | undefined {
  return docker(['ps', '--all', '--filter', `name=^${name}$`, '--format', '{{.State}}']) || undefined;
}

/** Kills the step's whole process tree, as the runner does last when a cancelled step will not end. */
function killTree(child: ChildProcess | undefined): void {
  for (const pid of processTree(child?.pid ?? 0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      // A process of the tree may end between the /proc read and the kill (seen under load).
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

/** Containers with our prefix whose command holds `token` (unique to one test). */
function runningWith(token: string): string[] {
  return docker([
    'ps',
    '--all',
    '--no-trunc',
    '--filter',
    `name=^${PREFIX}`,
    '--format',
    '{{.Names}} {{.Command}}',
  ])
    .split('\n')
    .filter((line) => line.includes(token))
    .map((line) => line.split(' ')[0] ?? '');
}

/** A process and all its descendants, read from /proc. */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  }
  return tree;
}

async function waitFor<T>(probe: () => T | undefined): Promise<T> {
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
}

describe.each(BUILDERS)('test-in-image with %s', (_name, buildx) => {
  const dockerConfig = userDockerConfig(environment, buildx);
  const login = loginInputs(environment);

  async function action(
    repository: string,
    inputs: Record<string, string>,
    onSpawn?: (child: ChildProcess) => void,
  ) {
    const workspace = makeWorkspace(app, 'main');
    return runAction({
      inputs: { image: repository, ...login, ...inputs },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
      onSpawn,
    });
  }

  it('a passing test in the image (its user, no network, only the given env) is pushed', async () => {
    const repository = uniqueRepository('inimage-pass');
    const run = await action(repository, {
      'test-in-image': [
        'test -f /app/hello.txt',
        'echo "user=$(id -u) fault=$PYTHONFAULTHANDLER mode=$APP_MODE net=$(ls /sys/class/net | tr "\\n" " ")"',
        'echo "secret=${INPUT_PASSWORD:-none} home-mounts=$(ls /github 2>/dev/null | wc -l)"',
      ].join('\n'),
      'test-in-image-env': 'APP_MODE=smoke',
    });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('user=10001 fault=1 mode=smoke net=lo ');
    expect(run.log).toContain('secret=none home-mounts=0');
    expect(run.log.indexOf('Test inside the built image')).toBeLessThan(
      run.log.indexOf(`::group::Push ${environment.privateRegistry}/${repository}:main`),
    );
    expect(await registryTags(environment, repository)).toEqual(['main']);
    expect(containers(containerName(run))).toEqual([]);
    await runPost(run);
  });

  it('a file missing from the image: the step fails with the output, nothing is pushed, no container is left', async () => {
    const repository = uniqueRepository('inimage-fail');
    const run = await action(repository, {
      'test-in-image': 'echo checking\ncat /app/config.yml\necho not-reached-$((40 + 2))',
    });
    expect(run.exitCode).toBe(1);
    // stdout and stderr arrive through two pipes: their order in the tail is not fixed.
    const error = run.log.split('\n').find((line) => line.startsWith('::error')) ?? '';
    expect(error).toMatch(
      /^::error title=Test inside the image failed with exit code 1::Test inside the image failed with exit code 1; nothing was pushed\. Last lines of its output:%0A/,
    );
    expect(error).toContain("cat: can't open '/app/config.yml': No such file or directory");
    expect(error).toContain('%0Achecking');
    expect(run.log).not.toContain('not-reached-42');
    expect(run.log).not.toMatch(/\[command\]\S*docker push/);
    expect(await registryTags(environment, repository)).toEqual([]);
    const reference = `${environment.privateRegistry}/${repository}:main`;
    const imageId = docker(['image', 'inspect', '--format', '{{.Id}}', reference]);
    expect(containers(containerName(run))).toEqual([]);
    expect(
      docker(['ps', '--all', '--quiet', '--filter', `name=^${PREFIX}`, '--filter', `ancestor=${imageId}`]),
    ).toBe('');
    await runPost(run);
  });

  it('push: false still runs it; the exec form needs no shell and ignores the ENTRYPOINT', async () => {
    const repository = uniqueRepository('inimage-nopush');
    const run = await action(repository, {
      'test-in-image': '["/bin/cat", "/app/hello.txt"]',
      push: 'false',
    });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('--entrypoint /bin/cat');
    expect(run.log).toContain('hello from the image');
    expect(await registryTags(environment, repository)).toEqual([]);
    expect(containers(containerName(run))).toEqual([]);
    await runPost(run);
  });

  it('an interrupted run removes its container before it ends', async () => {
    const token = randomUUID();
    let child: ChildProcess | undefined;
    const running = action(
      uniqueRepository('inimage-int'),
      { 'test-in-image': `sleep 600; echo ${token}` },
      (c) => {
        child = c;
      },
    );
    const name = await waitFor(() => runningWith(token)[0]);
    child?.kill('SIGINT');
    const run = await running;
    expect(run.exitCode).toBe(130);
    expect(containerName(run)).toBe(name);
    expect(containers(name)).toEqual([]);
    await runPost(run);
  });

  it('a run killed while its test runs in the container leaves the container to the post step, which removes it', async () => {
    const token = randomUUID();
    let child: ChildProcess | undefined;
    const running = action(
      uniqueRepository('inimage-kill'),
      { 'test-in-image': `sleep 600; echo ${token}` },
      (c) => {
        child = c;
      },
    );
    // Started (the start request answered): from here the container outlives the CLI.
    const name = await waitFor(() => {
      const found = runningWith(token)[0];
      return found !== undefined && containerState(found) === 'running' ? found : undefined;
    });
    killTree(child);
    const run = await running;
    expect(run.exitCode).toBe(137);
    expect(run.state.testContainer).toBe(name);
    expect(containerState(name)).toBe('running');
    const post = await runPost(run);
    expect(post.exitCode).toBe(0);
    expect(post.log).not.toContain('::warning::');
    expect(containers(name)).toEqual([]);
  });
});

describe('test-in-image killed before its container has started', () => {
  it('the container is gone or left created; either way the post step passes and nothing is left', async () => {
    const token = randomUUID();
    let child: ChildProcess | undefined;
    const workspace = makeWorkspace(app, 'main');
    const running = runAction({
      inputs: {
        image: uniqueRepository('inimage-kill-early'),
        ...loginInputs(environment),
        'test-in-image': `sleep 600; echo ${token}`,
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, true),
      onSpawn: (c) => {
        child = c;
      },
    });
    // Created: `docker run` has yet to start it, or is starting it.
    const name = await waitFor(() => runningWith(token)[0]);
    killTree(child);
    const run = await running;
    expect(run.exitCode).toBe(137);
    expect(run.state.testContainer).toBe(name);
    // Docker 23+ gives up a start whose client went away, and `--rm` then removes the container;
    // Docker 20.10 finishes the start. A CLI killed before it asked leaves the container created.
    expect([undefined, 'created', 'running']).toContain(containerState(name));
    const post = await runPost(run);
    expect(post.exitCode).toBe(0);
    expect(post.log).not.toContain('::warning::');
    expect(containers(name)).toEqual([]);
  });
});
