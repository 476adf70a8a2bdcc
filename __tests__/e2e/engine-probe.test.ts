// The in-process engine probe against the real dockerd: the same Engine as `docker info`.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeEngine, probeEngineFast } from '../../src/engine.js';
import {
  type Command,
  type CommandResult,
  type CommandRunner,
  ExecRunner,
  type RunOptions,
} from '../../src/runner.js';
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
    expect(fast).toEqual(viaCli);
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
    expect(fast).toEqual(viaCli);
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
