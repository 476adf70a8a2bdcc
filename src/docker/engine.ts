import { buildxPluginPresent, pluginDirs } from './buildx-plugin.js';
import { userDockerConfig } from '../execute/job-docker-config.js';
import { readCliConfig } from './cli-config.js';
import { type Engine, engineFromInfo, parseEngineInfo } from './docker.js';
import { asDaemonInfo, requestDaemonInfo } from './engine-api.js';
import { errorMessage } from '../inputs/errors.js';
import { isOnPath } from './executable.js';
import { probeRoute } from './probe-route.js';
import type { CommandRunner } from '../execute/command-runner.js';

/** The one probe of the engine per run: is a daemon there, and is buildx? */
export async function probeEngine(runner: CommandRunner): Promise<Engine> {
  const result = await runner.run(
    { program: 'docker', args: ['info', '--format', '{{json .}}'] },
    { silent: true },
  );
  return parseEngineInfo(result.stdout, result.exitCode, result.tail);
}

export interface FastProbeOptions {
  /** How long the daemon may take to answer over its socket before `docker info` is asked instead. */
  timeoutMs?: number;
  platform?: NodeJS.Platform;
  /** Told why the probe ran `docker info` after all (for a debug line). */
  onFallback?: (reason: string) => void;
}

/**
 * The same answer as `probeEngine` without starting the docker CLI: the daemon is asked over its
 * unix socket and the buildx plugin looked up on disk, where `docker info` runs every plugin to list them.
 * Whenever the CLI might see something else (contexts, remote or TLS hosts, an unusual plugin
 * file or config), and whenever the socket does not answer as expected, it runs `docker info`,
 * which also gives the error when no daemon is there.
 */
export async function probeEngineFast(
  runner: CommandRunner,
  env: NodeJS.ProcessEnv,
  options: FastProbeOptions = {},
): Promise<Engine> {
  const answer = await probeInProcess(
    env,
    options.timeoutMs ?? 2000,
    options.platform ?? process.platform,
  ).catch((error: unknown) => `the daemon did not answer over its socket: ${errorMessage(error)}`);
  if (typeof answer !== 'string') return answer;
  options.onFallback?.(answer);
  return probeEngine(runner);
}

/** The Engine, or why it cannot be told without the CLI. */
async function probeInProcess(
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  platform: NodeJS.Platform,
): Promise<Engine | string> {
  const configDir = userDockerConfig(env);
  const config = readCliConfig(configDir);
  const route = probeRoute(env, config, platform);
  if ('fallback' in route) return route.fallback;
  const [dockerFound, buildx, daemon] = await Promise.all([
    isOnPath('docker', env.PATH),
    buildxPluginPresent(pluginDirs(configDir, config?.pluginExtraDirs ?? [])),
    requestDaemonInfo(route.socket, timeoutMs),
  ]);
  // Without the CLI, `docker info` fails to start: leave that error to it.
  if (!dockerFound) return 'docker is not on PATH';
  if (buildx === undefined) return 'the buildx plugin candidate cannot be judged without the CLI';
  const info = asDaemonInfo(daemon.json);
  const engine =
    info && engineFromInfo({ ...info, ClientInfo: { Plugins: buildx ? [{ Name: 'buildx' }] : [] } });
  if (engine === undefined) return '/info did not have the expected fields';
  return { ...engine, daemonApi: { socket: route.socket, version: daemon.version } };
}

/**
 * A `builder` naming a docker context (a docker-driver builder) must be selected as the context:
 * buildx refuses it as `--builder`. Other builders (buildx instances) are passed as `--builder`.
 * Returns the context to use, or undefined. Runs only when `builder` is set.
 */
export async function builderContext(
  runner: CommandRunner,
  builder: string | undefined,
  engine: Engine,
): Promise<string | undefined> {
  if (!engine.buildx || builder === undefined) return undefined;
  const result = await runner.run(
    { program: 'docker', args: ['context', 'inspect', '--format', '{{.Name}}', builder] },
    { silent: true },
  );
  return result.exitCode === 0 ? builder : undefined;
}

/**
 * The probe's answer for a run: a dry run plans for buildx when no daemon answers (it runs
 * nothing), with `warn` saying so; a real run fails on the probe's error.
 */
export async function engineForRun(
  probe: Promise<Engine>,
  dryRun: boolean,
  warn: (message: string) => void,
): Promise<Engine> {
  try {
    return await probe;
  } catch (error) {
    if (!dryRun) throw error;
    warn(`${errorMessage(error)} (dry run: planning for buildx)`);
    return { buildx: true, serverVersion: 'unknown' };
  }
}
