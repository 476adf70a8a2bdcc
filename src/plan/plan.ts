import * as path from 'node:path';
import { buildArgs, buildOutput, checkBuilderSupport } from './build-command.js';
import type { Engine } from '../docker/engine-info.js';
import { type Reproducibility, reproducibility } from './reproducible.js';
import { isInsecureRegistry } from './insecure-registries.js';
import { DOCKER_HUB, registryOf } from '../shared/image-reference.js';
import { loginFor, stepLogins } from '../inputs/logins.js';
import type { RemoteRequest } from '../registry/registry-reader.js';
import type { Command } from '../shared/command.js';
import type { Settings } from '../inputs/settings.js';
import type { CollisionPolicy } from '../tags/fork-rules.js';
import type { TagMotion } from '../tags/tags.js';
import { type BuildOutput, secretEnvironment } from './build-flags.js';
import { checkExports } from './export-check.js';
import { stageCache, stageCacheExport } from './stage-cache.js';
import type { SizeLimit } from '../inputs/size-limit.js';

interface StepBase {
  title: string;
  command: Command;
}
/** A registry read: in-process (registry/), no command. */
interface ReadBase {
  title: string;
  /** The tag to read, and how. */
  reference: string;
  remote: RemoteRequest;
}
export type Step =
  | (StepBase & { kind: 'test' })
  | (StepBase & {
      kind: 'login';
      registry: string;
      /** The input the credentials come from, for the message when the login fails. */
      source: string;
    })
  | (StepBase & {
      kind: 'cache-pull';
      reference: string;
      fallback: boolean;
      /** Prints the local image's id (`docker image inspect`): no pull when it is what the registry holds. */
      localCheck: Command;
    })
  | (StepBase & {
      kind: 'build';
      iidFile: string;
      output: BuildOutput;
      metadataFile: string;
      /** References the build pushes itself (several platforms); empty when `docker push` does it. */
      pushes: string[];
      /**
       * `push-timeout` of a build that pushes itself, counted from its first push line; its command
       * then runs in a session of its own (`sessionFile`) so that the deadline can stop it.
       */
      pushTimeoutSeconds?: number;
      /**
       * `push-timeout` of its registry cache export (the every-stage cache, or a `cache-to` of
       * `type=registry`), counted from the export's first line; its command then runs in a session
       * of its own too. Undefined: it exports no registry cache.
       */
      cacheExportTimeoutSeconds?: number;
      /**
       * Whether a failed (or stopped) registry cache export leaves the build standing: every registry
       * `--cache-to` says `ignore-error=true`, as the every-stage cache does.
       */
      cacheExportOptional?: boolean;
      /** The registry cache images its `--cache-from` flags name, best first (see withoutCacheFrom). */
      cacheImages: string[];
      /** The every-stage registry cache it writes (`mode=max`); undefined: the inline cache, or the user's. */
      cacheExport: string | undefined;
      /** The classic `docker build`, not buildx. */
      classic: boolean;
      /** With `reproducible`: why a rebuild of this commit still gives another image; undefined when it does not. */
      notReproducible?: string;
      /**
       * Prints the id the daemon holds the loaded image by (`docker image inspect`), when that is not
       * what buildx writes to --iidfile (the containerd image store knows an image without
       * attestations by its manifest's digest, --iidfile names its config's), or when buildx may be
       * stopped in its cache export, before it writes --iidfile.
       */
      loadedId?: Command;
    })
  | (ReadBase & {
      kind: 'lookup';
      /** This build's labels, compared with the existing image's. */
      labels: Record<string, string>;
      policy: CollisionPolicy;
      /** How the tag moves (a release's `latest`, a branch's tag); absent: an exact tag. */
      moves?: TagMotion;
    })
  | (StepBase & {
      kind: 'test-in-image';
      /** The container's unique name, so it can be removed whatever happens to the run. */
      container: string;
      /** Index in `command.args` that holds IMAGE_ID_PLACEHOLDER until the build has run. */
      imageArg: number;
      /** Removes the container; run after the test, whether it passed, failed or was interrupted. */
      cleanup: Command;
    })
  | (StepBase & {
      kind: 'push';
      reference: string;
      /** Registry host the reference goes to, or Docker Hub. */
      registry: string;
      /** Whether the plan logs in to that registry (else the runner's own logins are used). */
      loggedIn: boolean;
    })
  | (ReadBase & { kind: 'verify' })
  | (StepBase & {
      kind: 'size-check';
      /** The default branch's image in the registry, whose compressed size the build is set against. */
      reference: string;
      remote: RemoteRequest;
      /** `max-size-increase`: a larger growth stops the run before the pushes; undefined: no limit. */
      limit: SizeLimit | undefined;
      /** Prints the built image's layers (`RootFS.Layers`); `command` prints its history. */
      layers: Command;
    })
  | (ReadBase & {
      kind: 'platform-image';
      /** The platform of the image the `merge: later` job pushed to `reference`. */
      platform: string;
      /** The commit the image must be built from (its revision label). */
      revision: string;
    })
  | (StepBase & {
      kind: 'index';
      /** The first of `references`: where the step's time is charted. */
      reference: string;
      /** The tags of one repository that get the index, all in one `imagetools create`. */
      references: string[];
      /** The same command with `--dry-run`: prints the index it would push, to tell its digest first. */
      preview: Command;
      registry: string;
      loggedIn: boolean;
    })
  /** `call: check`: BuildKit's build checks of the Dockerfile, nothing built. */
  | (StepBase & { kind: 'check' });

/** A step that runs a command (every one but the registry reads). */
export type CommandStep = Exclude<Step, { kind: 'lookup' | 'verify' | 'platform-image' }>;

/** Kinds whose consecutive steps are independent reads of the registry, run together. */
export const PARALLEL_KINDS: readonly Step['kind'][] = ['lookup', 'verify', 'platform-image'];

/** A read of the registry should answer in seconds; it gets this long before it counts as failed. */
export const INSPECT_TIMEOUT_SECONDS = 60;

export interface PlanInput {
  settings: Settings;
  engine: Engine;
  /** Every full reference (repository:tag) the image gets. */
  references: string[];
  labels: Record<string, string>;
  /** How existing tags are judged (a fork's pull request is stricter); `on-collision` when absent. */
  collisionPolicy?: CollisionPolicy;
  /** How each reference that moves from image to image moves; the others are exact. */
  motions?: ReadonlyMap<string, TagMotion>;
  /** Registry images whose layers the build may reuse, best first; empty or absent: no registry cache. */
  cacheImages?: string[];
  /** The every-stage registry caches (`buildcache-…`), best first, for builders that can write one. */
  stageCaches?: string[];
  /** Private folder of this job for the files the plan writes (image id). */
  jobDir: string;
  /** Docker context that `builder` names (a docker-driver builder); every docker command uses it. */
  dockerContext?: string | undefined;
  /** DOCKER_CONFIG holding this job's login; undefined when the action does not log in. */
  dockerConfig: string | undefined;
  /** Unique name of the in-image test's container (TEST_CONTAINER_PREFIX + something unique). */
  testContainer: string;
  /** Classic builder: the path of a copy of the Dockerfile with the labels in one LABEL, used instead of `--label` flags. */
  labelledDockerfile?: string | undefined;
  /** The build pulls its base image anew (`rebuild: base-changed` found it changed). */
  pullBase?: boolean;
  /** `rebuild: base-changed` found the image built on the base as it is now: nothing to run. */
  upToDate?: boolean;
  /** The default branch's image (`image:main`), which the built image's size is set against. */
  defaultImage?: string | undefined;
  /** HEAD's committer date (ISO 8601): the reproducible image's timestamps. */
  commitTime?: string | undefined;
}

/** Every in-image test container's name starts with this. */
export const TEST_CONTAINER_PREFIX = 'build-test-push-in-image-';
/** Stands for the built image's id in the plan (and the printed plan) until the build has run. */
export const IMAGE_ID_PLACEHOLDER = '<image-id>';
/** The shell of the shell form, as a Dockerfile's RUN uses it; -e so every failing line counts. */
export const IN_IMAGE_SHELL = ['/bin/sh', '-e', '-c'] as const;

function testStep(input: PlanInput): Step[] {
  const { settings } = input;
  if (settings.testCommand === undefined) return [];
  return [
    {
      kind: 'test',
      title: 'Run tests',
      command: {
        program: 'bash',
        args: ['-eo', 'pipefail', '-c', settings.testCommand],
        cwd: settings.workingDirectory,
        sessionFile: path.join(input.jobDir, 'test-session'),
      },
    },
  ];
}

/** One `docker login` per login of the step (`username`/`password`, then `registry-auth`), password on stdin. */
export function loginSteps(input: PlanInput, env: Record<string, string>): Step[] {
  return stepLogins(input.settings).map(({ registry, username, password, source }) => ({
    kind: 'login',
    title: `Log in to ${registry ?? DOCKER_HUB}`,
    registry: registry ?? DOCKER_HUB,
    source,
    command: {
      program: 'docker',
      args: [
        'login',
        '--username',
        username,
        '--password-stdin',
        ...(registry === undefined ? [] : [registry]),
      ],
      env,
      stdin: password,
    },
  }));
}

/** `builder` names a buildx builder of its own (not a docker context): it uses no docker images. */
function ownBuilder(input: PlanInput): boolean {
  return input.settings.builder !== undefined && input.dockerContext === undefined;
}

/** What the build does to make its image reproducible; the cache pulls follow it too. */
function buildReproducibility(input: PlanInput): Reproducibility {
  const { settings, engine } = input;
  return reproducibility(
    settings,
    engine,
    buildOutput(settings, engine),
    input.commitTime,
    ownBuilder(input),
  );
}

/** The every-stage registry cache this build reads and writes, when its builder can export one. */
function buildStageCache(input: PlanInput) {
  return stageCache(input.settings, input.engine, ownBuilder(input), input.stageCaches ?? []);
}

/**
 * Pull the branch's image, and the default branch's only when that fails; a missing image is normal
 * (a new branch, a first build). The classic builder reuses only layers of images it has locally.
 * buildx on the docker driver reads the cache from the registry too, but from a pulled image its
 * cache survives rebuilds: on dockerd 20.10 an image built from registry cache alone carries
 * incomplete inline cache, so every second build missed (moby/buildkit#1981, #1992). Other builders
 * (`builder`) and multi-platform builds do not use docker's images, so they pull nothing. Neither
 * does a reproducible build (BuildKit of Docker 23+): with the cache image pulled, BuildKit writes
 * another inline cache record into the rebuilt image, so the same commit would not give the same
 * image; it reads the registry cache itself, and complete.
 */
function cachePullSteps(
  input: PlanInput,
  reproducibility: Reproducibility,
  env: Record<string, string>,
): Step[] {
  const { settings, engine } = input;
  if (engine.buildx && (ownBuilder(input) || buildOutput(settings, engine) !== 'load')) return [];
  if (engine.buildx && reproducibility.withoutProvenance) return [];
  // BuildKit reads a registry cache itself; a pulled image would add nothing to it.
  if (buildStageCache(input) !== undefined) return [];
  return (input.cacheImages ?? []).map((reference, index) => ({
    kind: 'cache-pull',
    title: `Pull cache image ${reference}`,
    reference,
    fallback: index > 0,
    command: { program: 'docker', args: ['pull', '--quiet', reference], env },
    localCheck: imageIdCommand(reference, env),
  }));
}

/** Prints the id the daemon holds `reference` by (`docker image inspect`). */
function imageIdCommand(reference: string, env: Record<string, string>): Command {
  return { program: 'docker', args: ['image', 'inspect', '--format', '{{.Id}}', reference], env };
}

/** The build's `--cache-to` values that write to a registry: the every-stage cache's, or the user's. */
function registryCacheExports(settings: Settings, stageCacheTo: string | undefined): string[] {
  if (stageCacheTo !== undefined) return [stageCacheExport(stageCacheTo)];
  return settings.cacheTo.filter((value) => /(^|,)type=registry(,|$)/.test(value));
}

function buildStep(input: PlanInput, reproducibility: Reproducibility, env: Record<string, string>): Step {
  const { settings, engine, references } = input;
  checkBuilderSupport(settings, engine);
  checkExports(settings, engine, buildOutput(settings, engine), ownBuilder(input));
  const iidFile = path.join(input.jobDir, 'image-id');
  const metadataFile = path.join(input.jobDir, 'build-metadata.json');
  const output = buildOutput(settings, engine);
  const stages = buildStageCache(input);
  // The every-stage caches first; the image's own tags still hold an older run's inline cache.
  const cacheImages = [...(stages?.from ?? []), ...(input.cacheImages ?? [])];
  const args = buildArgs({
    ...input,
    cacheImages,
    cacheExport: stages?.to,
    iidFile,
    metadataFile,
    reproducibility,
  });
  const secretEnv = secretEnvironment(settings);
  const registryExports = engine.buildx ? registryCacheExports(settings, stages?.to) : [];
  const cacheExportTimed = registryExports.length > 0;
  const ownSession = output === 'push' || cacheExportTimed;
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
    ...(output === 'push' ? { pushTimeoutSeconds: settings.pushTimeoutSeconds } : {}),
    ...(cacheExportTimed
      ? {
          cacheExportTimeoutSeconds: settings.pushTimeoutSeconds,
          cacheExportOptional: registryExports.every((value) => /(^|,)ignore-error=true(,|$)/.test(value)),
        }
      : {}),
    cacheImages,
    cacheExport: stages?.to,
    classic: !engine.buildx,
    ...(reproducibility.limit === undefined ? {} : { notReproducible: reproducibility.limit }),
    command: {
      program: 'docker',
      args,
      cwd: settings.workingDirectory,
      env: { ...env, ...builderEnv },
      ...(Object.keys(secretEnv).length === 0 ? {} : { secretEnv }),
      ...(ownSession ? { sessionFile: path.join(input.jobDir, 'build-session') } : {}),
    },
    ...(engine.buildx &&
    (engine.containerdStore === true || cacheExportTimed) &&
    output === 'load' &&
    references[0] !== undefined
      ? { loadedId: imageIdCommand(references[0], env) }
      : {}),
  };
}

export function remoteRequest(
  input: Pick<PlanInput, 'dockerConfig' | 'engine'>,
  reference: string,
  labels: boolean,
): RemoteRequest {
  return {
    dockerConfig: input.dockerConfig,
    insecure: isInsecureRegistry(registryOf(reference) ?? 'docker.io', input.engine),
    labels,
    timeoutSeconds: INSPECT_TIMEOUT_SECONDS,
  };
}

function motionOf(input: PlanInput, reference: string): { moves?: TagMotion } {
  const moves = input.motions?.get(reference);
  return moves === undefined ? {} : { moves };
}

export function lookupSteps(input: PlanInput): Step[] {
  if (!input.settings.push) return [];
  return input.references.map((reference) => ({
    kind: 'lookup',
    title: `Check what ${reference} holds now`,
    reference,
    labels: input.labels,
    policy: input.collisionPolicy ?? input.settings.onCollision,
    ...motionOf(input, reference),
    remote: remoteRequest(input, reference, true),
  }));
}

export function removeContainerCommand(name: string, env: Record<string, string> = {}): Command {
  return { program: 'docker', args: ['rm', '--force', name], env };
}

function testInImageStep(input: PlanInput, env: Record<string, string>): Step[] {
  const test = input.settings.testInImage;
  if (test === undefined) return [];
  const [entrypoint, ...args] =
    test.command.form === 'shell' ? [...IN_IMAGE_SHELL, test.command.script] : test.command.argv;
  const name = input.testContainer;
  // The image's own user; no network, mounts or secrets; the image id, so no registry is involved.
  const head = ['run', '--rm', '--name', name, '--pull', 'never', '--network', 'none'];
  const options = ['--entrypoint', entrypoint, ...test.env.flatMap((line) => ['--env', line])];
  return [
    {
      kind: 'test-in-image',
      title: 'Test inside the built image',
      container: name,
      imageArg: head.length + options.length,
      cleanup: removeContainerCommand(name, env),
      command: { program: 'docker', args: [...head, ...options, IMAGE_ID_PLACEHOLDER, ...args], env },
    },
  ];
}

/** The build's command without the `--cache-from` flags that name `drop` (either builder's form). */
export function withoutCacheFrom(step: Step & { kind: 'build' }, drop: readonly string[]): Command {
  const dropped = new Set(drop.flatMap((reference) => [reference, `type=registry,ref=${reference}`]));
  const args = step.command.args.filter(
    (arg, index, all) =>
      !(arg === '--cache-from' && dropped.has(all[index + 1] ?? '')) &&
      !(all[index - 1] === '--cache-from' && dropped.has(arg)),
  );
  return { ...step.command, args };
}

/**
 * The build that pushes its image itself (buildx `--push`), without the tags `keep` names (moving
 * tags that stay where they are); with none left it pushes nothing (`--push` and its metadata file go).
 */
export function withoutPushedTags(
  step: Step & { kind: 'build' },
  keep: readonly string[],
): Step & { kind: 'build' } {
  const kept = new Set(keep);
  const pushes = step.pushes.filter((reference) => !kept.has(reference));
  if (pushes.length === step.pushes.length) return step;
  const none = pushes.length === 0;
  const args = step.command.args.filter((arg, index, all) => {
    const previous = all[index - 1];
    if (arg === '--tag' && kept.has(all[index + 1] ?? '')) return false;
    if (previous === '--tag' && kept.has(arg)) return false;
    if (!none) return true;
    if (arg === '--push' || arg === '--metadata-file' || previous === '--metadata-file') return false;
    const registryOutput = (flag: string | undefined, value: string | undefined): boolean =>
      flag === '--output' && value?.startsWith('type=registry') === true;
    return !registryOutput(arg, all[index + 1]) && !registryOutput(previous, arg);
  });
  return { ...step, pushes, command: { ...step.command, args } };
}

/** The in-image test's command with the built image's id in place of the placeholder. */
export function withImageId(step: Step & { kind: 'test-in-image' }, imageId: string): Command {
  const args = step.command.args.map((arg, index) => (index === step.imageArg ? imageId : arg));
  return { ...step.command, args };
}

function pushSteps(input: PlanInput, env: Record<string, string>): Step[] {
  const { push } = input.settings;
  if (!push || buildOutput(input.settings, input.engine) !== 'load') return [];
  const logins = stepLogins(input.settings);
  return input.references.map((reference) => {
    const registry = registryOf(reference);
    return {
      kind: 'push',
      title: `Push ${reference}`,
      reference,
      registry: registry ?? DOCKER_HUB,
      loggedIn: loginFor(logins, registry) !== undefined,
      command: {
        program: 'docker',
        args: ['push', reference],
        env,
        timeoutSeconds: input.settings.pushTimeoutSeconds,
      },
    };
  });
}

/**
 * The built image's size against the default branch's image, before anything is pushed (so that
 * `max-size-increase` can stop it). Only for an image loaded into docker, whose layers can be read.
 */
function sizeCheckStep(input: PlanInput, env: Record<string, string>): Step[] {
  const reference = input.defaultImage;
  const built = input.references[0];
  if (reference === undefined || built === undefined) return [];
  if (buildOutput(input.settings, input.engine) !== 'load') return [];
  return [
    {
      kind: 'size-check',
      title: `Compare the image's size with ${reference}`,
      reference,
      remote: remoteRequest(input, reference, true),
      limit: input.settings.maxSizeIncrease,
      command: {
        program: 'docker',
        args: ['history', '--no-trunc', '--human=false', '--format', '{{json .}}', built],
        env,
      },
      layers: {
        program: 'docker',
        args: ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', built],
        env,
      },
    },
  ];
}

export function verifySteps(input: PlanInput): Step[] {
  if (!input.settings.push) return [];
  return input.references.map((reference) => ({
    kind: 'verify',
    title: `Verify the registry's digest of ${reference}`,
    reference,
    remote: remoteRequest(input, reference, false),
  }));
}

/** The variables every docker command of the plan gets: this job's login and builder's context. */
export function commandEnv(input: Pick<PlanInput, 'dockerConfig' | 'dockerContext'>): Record<string, string> {
  return {
    ...(input.dockerConfig === undefined ? {} : { DOCKER_CONFIG: input.dockerConfig }),
    ...(input.dockerContext === undefined ? {} : { DOCKER_CONTEXT: input.dockerContext }),
  };
}

/** `call: check`: BuildKit evaluates the Dockerfile's build checks and prints them as JSON. */
function checkStep(input: PlanInput, env: Record<string, string>): Step {
  const { settings, engine } = input;
  checkBuilderSupport(settings, engine);
  const builder = ownBuilder(input) && settings.builder !== undefined ? ['--builder', settings.builder] : [];
  return {
    kind: 'check',
    title: 'Run the build checks (call: check)',
    command: {
      program: 'docker',
      args: [
        'buildx',
        'build',
        ...builder,
        '--call=check,format=json',
        '--file',
        settings.file,
        ...settings.buildArgs.flatMap((arg) => ['--build-arg', arg]),
        ...(settings.target === undefined ? [] : ['--target', settings.target]),
        settings.context,
      ],
      cwd: settings.workingDirectory,
      env: { ...env, BUILDX_GIT_INFO: '0' },
    },
  };
}

/**
 * The ordered commands of a run: tests, login, a look at the tags to be pushed over (before the
 * build, so a collision fails fast), registry cache pulls, build, test inside the image, push, and a
 * check of what the registry holds; nothing when the image is up to date. Pure.
 */
export function makePlan(planInput: PlanInput): Step[] {
  // `no-cache`: the build reads no cache, so no cache image is pulled or named.
  const input = planInput.settings.noCache ? { ...planInput, cacheImages: [], stageCaches: [] } : planInput;
  const env = commandEnv(input);
  // `call: check` builds nothing: the tests, then the checks; no login, lookup, build or push.
  if (input.settings.call === 'check') return [...testStep(input), checkStep(input, env)];
  // Asked once: the cache pulls and the build both follow it.
  const reproducibility = buildReproducibility(input);
  const steps = [
    ...testStep(input),
    ...loginSteps(input, env),
    ...lookupSteps(input),
    ...cachePullSteps(input, reproducibility, env),
    buildStep(input, reproducibility, env),
    ...testInImageStep(input, env),
    ...sizeCheckStep(input, env),
    ...pushSteps(input, env),
    ...verifySteps(input),
  ];
  // Made all the same, so settings a build could not take fail on every run, not only on rebuilds.
  return input.upToDate === true ? [] : steps;
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command as one readable line; a secret on stdin or in the environment shows as a marker, never as its value. */
export function formatCommand(command: Command): string {
  const env = [
    ...Object.entries(command.env ?? {}).map(([key, value]) => `${key}=${shellQuote(value)}`),
    ...Object.keys(command.secretEnv ?? {}).map((key) => `${key}=***`),
  ];
  const line = [...env, command.program, ...command.args].map((part, index) =>
    index < env.length ? part : shellQuote(part),
  );
  const stdin = command.stdin === undefined ? '' : ' <<< ***';
  return `${line.join(' ')}${stdin}`;
}
