// The in-process engine probe against the real dockerd: the same Engine as `docker info`.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeEngine, probeEngineFast } from '../../src/docker/engine.js';
import { localImageReader } from '../../src/docker/local-images.js';
import {
  type Command,
  type CommandResult,
  type CommandRunner,
  ExecRunner,
  type RunOptions,
} from '../../src/execute/command-runner.js';
import { BUILDERS, loadEnvironment, userDockerConfig } from './environment.js';

const environment = loadEnvironment();

/** The real runner with `env` added to every command, recording what it ran. */
class EnvRunner implements CommandRunner {
  readonly commands: string[] = [];
  constructor(private readonly env: Record<string, string>) {}
  run(command: Command, options?: RunOptions): Promise<CommandResult> {
    this.commands.push([command.program, ...command.args].join(' '));
    return new ExecRunner().run({ ...command, env: { ...command.env, ...this.env } }, options);
  }
}

/** The socket DOCKER_HOST names (or the default one), at the version the daemon negotiates. */
const daemonApi = () => ({
  socket: (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, ''),
  version: expect.stringMatching(/^1\.\d+$/) as unknown,
});

describe('probeEngineFast against the real dockerd', () => {
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it.each(BUILDERS)('%s: the same Engine as docker info, without running docker', async (_label, buildx) => {
    const dockerConfig = userDockerConfig(environment, buildx);
    folders.push(dockerConfig);
    const extra = { DOCKER_CONFIG: dockerConfig };
    const viaCli = await probeEngine(new EnvRunner(extra));
    expect(viaCli.buildx).toBe(buildx);

    const runner = new EnvRunner(extra);
    const fallbacks: string[] = [];
    const fast = await probeEngineFast(
      runner,
      { ...process.env, ...extra },
      { onFallback: (r) => fallbacks.push(r) },
    );
    expect(fast).toEqual({ ...viaCli, daemonApi: daemonApi() });
    expect(fallbacks).toEqual([]);
    expect(runner.commands).toEqual([]);
  });

  it('DOCKER_CONFIG unset: the plugin folder under HOME/.docker is found as the CLI finds it', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'bpa-home-'));
    folders.push(home);
    mkdirSync(path.join(home, '.docker', 'cli-plugins'), { recursive: true });
    symlinkSync(environment.buildxPlugin, path.join(home, '.docker', 'cli-plugins', 'docker-buildx'));
    // An empty DOCKER_CONFIG is unset to the CLI, and to the probe.
    const extra = { HOME: home, DOCKER_CONFIG: '' };
    const viaCli = await probeEngine(new EnvRunner(extra));
    const runner = new EnvRunner(extra);
    const fast = await probeEngineFast(runner, { ...process.env, ...extra });
    expect(viaCli.buildx).toBe(true);
    expect(fast).toEqual({ ...viaCli, daemonApi: daemonApi() });
    expect(runner.commands).toEqual([]);
  });

  it('no daemon at DOCKER_HOST: the same error as docker info gives today', async () => {
    const extra = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const today = await probeEngine(new EnvRunner(extra)).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(today).toBeInstanceOf(Error);
    const runner = new EnvRunner(extra);
    await expect(probeEngineFast(runner, { ...process.env, ...extra })).rejects.toThrow(
      (today as Error).message,
    );
    expect((today as Error).message).toMatch(/^The Docker daemon is not reachable: .*nonexistent/);
    expect(runner.commands).toEqual(['docker info --format {{json .}}']);
  });
});

describe('local image reads over the API the probe found', () => {
  it('the same id, size and labels as docker image inspect; 404 for an image that is not here', async () => {
    const engine = await probeEngineFast(new ExecRunner(), process.env);
    expect(engine.daemonApi).toBeDefined();
    const images = localImageReader(engine.daemonApi);
    const docker = (...args: string[]) => new ExecRunner().run({ program: 'docker', args }, { silent: true });
    expect((await docker('pull', '--quiet', environment.baseImage)).exitCode).toBe(0);
    const inspected = await docker(
      'image',
      'inspect',
      '--format',
      '{{.Id}} {{.Size}} {{json .Config.Labels}}',
      environment.baseImage,
    );
    expect(inspected.exitCode).toBe(0);
    const [id, size, labels] = inspected.stdout.trim().split(' ');
    expect(await images(environment.baseImage)).toEqual({
      id,
      size: Number(size),
      labels: (JSON.parse(labels ?? 'null') as Record<string, string> | null) ?? {},
    });
    expect(await images(`${environment.baseImage}-not-here`)).toBeNull();
  });
});
