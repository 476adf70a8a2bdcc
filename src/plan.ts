import * as path from 'node:path';
import { buildArgs, type BuildOutput, buildOutput, checkBuilderSupport } from './build-command.js';
import type { Engine } from './docker.js';
import type { Command } from './runner.js';
import type { Settings } from './settings.js';

interface StepBase {
  title: string;
  command: Command;
}
export type Step =
  | (StepBase & { kind: 'test' })
  | (StepBase & { kind: 'login'; registry: string })
  | (StepBase & { kind: 'cache-pull'; reference: string; fallback: boolean })
  | (StepBase & {
      kind: 'build';
      iidFile: string;
      output: BuildOutput;
      metadataFile: string;
      /** References the build pushes itself (several platforms); empty when `docker push` does it. */
      pushes: string[];
    })
  | (StepBase & { kind: 'push'; reference: string });

export interface PlanInput {
  settings: Settings;
  engine: Engine;
  /** Every full reference (repository:tag) the image gets. */
  references: string[];
  labels: Record<string, string>;
  /** Registry images whose layers the build may reuse, best first; empty: no registry cache. */
  cacheImages: string[];
  /** Private folder of this job for the files the plan writes (image id). */
  jobDir: string;
  /** Docker context that `builder` names (a docker-driver builder); every docker command uses it. */
  dockerContext?: string | undefined;
  /** DOCKER_CONFIG holding this job's login; undefined when the action does not log in. */
  dockerConfig: string | undefined;
}

export const DOCKER_HUB = 'Docker Hub';

function testStep(settings: Settings): Step[] {
  if (settings.testCommand === undefined) return [];
  return [
    {
      kind: 'test',
      title: 'Run tests',
      command: {
        program: 'bash',
        args: ['-eo', 'pipefail', '-c', settings.testCommand],
        cwd: settings.workingDirectory,
      },
    },
  ];
}

function loginStep(input: PlanInput, env: Record<string, string>): Step[] {
  const { credentials, loginRegistry } = input.settings;
  if (credentials === undefined) return [];
  const server = loginRegistry === undefined ? [] : [loginRegistry];
  return [
    {
      kind: 'login',
      title: `Log in to ${loginRegistry ?? DOCKER_HUB}`,
      registry: loginRegistry ?? DOCKER_HUB,
      command: {
        program: 'docker',
        args: ['login', '--username', credentials.username, '--password-stdin', ...server],
        env,
        stdin: credentials.password,
      },
    },
  ];
}

/**
 * Pull the branch's image, and the default branch's only when that fails; a missing image is normal
 * (a new branch, a first build). The classic builder reuses only layers of images it has locally.
 * buildx on the docker driver reads the cache from the registry too, but from a pulled image its
 * cache survives rebuilds: on dockerd 20.10 an image built from registry cache alone carries
 * incomplete inline cache, so every second build missed (moby/buildkit#1981, #1992). Other builders
 * (`builder`) and multi-platform builds do not use docker's images, so they pull nothing.
 */
function cachePullSteps(input: PlanInput, env: Record<string, string>): Step[] {
  const { settings, engine } = input;
  const otherBuilder = settings.builder !== undefined && input.dockerContext === undefined;
  if (engine.buildx && (otherBuilder || buildOutput(settings, engine) !== 'load')) return [];
  return input.cacheImages.map((reference, index) => ({
    kind: 'cache-pull',
    title: `Pull cache image ${reference}`,
    reference,
    fallback: index > 0,
    command: { program: 'docker', args: ['pull', '--quiet', reference], env },
  }));
}

function buildStep(input: PlanInput, env: Record<string, string>): Step {
  const { settings, engine, references } = input;
  checkBuilderSupport(settings, engine);
  const iidFile = path.join(input.jobDir, 'image-id');
  const metadataFile = path.join(input.jobDir, 'build-metadata.json');
  const output = buildOutput(settings, engine);
  const args = buildArgs({ ...input, iidFile, metadataFile });
  // Without buildx, DOCKER_BUILDKIT=1 would make `docker build` fail asking for buildx.
  // BUILDX_GIT_INFO=0: buildx would run git five more times for provenance; the labels carry the revision.
  const builderEnv: Record<string, string> = engine.buildx
    ? { BUILDKIT_PROGRESS: 'plain', BUILDX_GIT_INFO: '0' }
    : { DOCKER_BUILDKIT: '0' };
  return {
    kind: 'build',
    title: `Build ${references.join(', ')}${engine.buildx ? ' (buildx)' : ' (docker build)'}`,
    iidFile,
    output,
    metadataFile,
    pushes: output === 'push' ? references : [],
    command: { program: 'docker', args, cwd: settings.workingDirectory, env: { ...env, ...builderEnv } },
  };
}

function pushSteps(input: PlanInput, env: Record<string, string>): Step[] {
  if (!input.settings.push || buildOutput(input.settings, input.engine) !== 'load') return [];
  return input.references.map((reference) => ({
    kind: 'push',
    title: `Push ${reference}`,
    reference,
    command: { program: 'docker', args: ['push', reference], env },
  }));
}

/** The ordered commands of a run: tests, login, cache pulls, build, push. Pure. */
export function makePlan(input: PlanInput): Step[] {
  const env: Record<string, string> = {
    ...(input.dockerConfig === undefined ? {} : { DOCKER_CONFIG: input.dockerConfig }),
    ...(input.dockerContext === undefined ? {} : { DOCKER_CONTEXT: input.dockerContext }),
  };
  return [
    ...testStep(input.settings),
    ...loginStep(input, env),
    ...cachePullSteps(input, env),
    buildStep(input, env),
    ...pushSteps(input, env),
  ];
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command as one readable line; a secret on stdin shows as a marker, never as its value. */
export function formatCommand(command: Command): string {
  const env = Object.entries(command.env ?? {}).map(([key, value]) => `${key}=${shellQuote(value)}`);
  const line = [...env, command.program, ...command.args].map((part, index) =>
    index < env.length ? part : shellQuote(part),
  );
  return `${line.join(' ')}${command.stdin === undefined ? '' : ' <<< ***'}`;
}
