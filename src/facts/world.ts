// The world as this run finds it, read once before the plan: the engine and the builder's context
// (docker), the base image's digest and, with `rebuild: base-changed`, what the first tag holds now
// (the registry), and the names of this run's own folder and container.
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Engine, parseEngineInfo } from '../docker/engine-info.js';
import { loginFor, stepLogins } from '../inputs/logins.js';
import type { Settings } from '../inputs/settings.js';
import type { BaseOutcome } from '../plan/base-decision.js';
import type { WorldFacts } from '../plan/job-plan.js';
import { type BaseImage, baseImageOf } from '../plan/base-image.js';
import { remoteRequest, TEST_CONTAINER_PREFIX } from '../plan/plan.js';
import type { RegistryReader, RemoteRead } from '../registry/registry-reader.js';
import type { CommandRunner } from '../shared/command.js';
import { registryOf } from '../shared/image-reference.js';
import type { Log } from '../shared/log.js';
import { errorMessage } from '../shared/errors.js';

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
 * The one probe of the engine per run (`docker info`: is a daemon there, and is buildx?). A dry run
 * plans for buildx when no daemon answers (it runs nothing), saying so; a real run fails
 * on the probe's error.
 */
async function engineForRun(
  runner: CommandRunner,
  dryRun: boolean,
  log: Pick<Log, 'warning'>,
): Promise<Engine> {
  try {
    const info = await runner.run(
      { program: 'docker', args: ['info', '--format', '{{json .}}'] },
      { silent: true },
    );
    return parseEngineInfo(info.stdout, info.exitCode, info.tail);
  } catch (error) {
    if (!dryRun) throw error;
    log.warning(`${errorMessage(error)} (dry run: planning for buildx)`);
    return { buildx: true, serverVersion: 'unknown' };
  }
}

/** Reads what a tag holds now: its digest, and its labels when asked. */
export type ReadTag = (reference: string, labels: boolean) => Promise<RemoteRead>;

/**
 * The registry reads, in-process: the action's own logins (`username`/`password`, `registry-auth`)
 * for the registries they name (their `docker login` runs later, in the plan), docker's config
 * (DOCKER_CONFIG or ~/.docker: the runner's logins, e.g. docker/login-action) for any other; plain
 * HTTP where the daemon allows it.
 */
export function tagReader(settings: Settings, engine: Engine, reader: RegistryReader): ReadTag {
  return (reference, labels) => {
    const own = loginFor(stepLogins(settings), registryOf(reference));
    return reader.read(reference, {
      ...remoteRequest({ dockerConfig: undefined, engine }, reference, labels),
      credentials:
        own === undefined
          ? undefined
          : { kind: 'basic', username: own.username, password: own.password.reveal() },
    });
  };
}

/** Reads the digest `base` resolves to now; a pinned digest is its own answer. */
export async function resolveBase(base: BaseImage, read: ReadTag): Promise<BaseOutcome> {
  switch (base.kind) {
    case 'scratch':
      return { kind: 'none', why: 'the built stage starts FROM scratch: the image has no base image' };
    case 'unknown':
      return { kind: 'none', why: `the base image cannot be told: ${base.reason}` };
    case 'image':
      break;
  }
  if (base.pinned !== undefined) return { kind: 'found', name: base.name, digest: base.pinned };
  const answer = await read(base.name, false);
  switch (answer.kind) {
    case 'found':
      return { kind: 'found', name: base.name, digest: answer.digest };
    case 'missing':
      return { kind: 'unreadable', name: base.name, problem: 'its registry has no such tag' };
    case 'unknown':
      return { kind: 'unreadable', name: base.name, problem: answer.reason };
  }
}

export interface WorldQuestion {
  settings: Settings;
  /** The Dockerfile's text (undefined: it could not be read); none for a merge job. */
  dockerfile: { text: string | undefined } | undefined;
  /** The tag `rebuild: base-changed` compares with. */
  reference: string | undefined;
  env: NodeJS.ProcessEnv;
  runner: CommandRunner;
  reader: RegistryReader;
  log: Pick<Log, 'warning'>;
}

/** The base image as the Dockerfile names it, and with a real run its digest now (and what `reference` holds, for `rebuild: base-changed`). */
export async function readBase(
  question: Pick<WorldQuestion, 'settings' | 'reference' | 'reader'>,
  engine: Engine,
  text: string | undefined,
): Promise<{ base: BaseOutcome; existing: RemoteRead | undefined }> {
  const { settings } = question;
  const image: BaseImage =
    text === undefined
      ? { kind: 'unknown', reason: 'the Dockerfile could not be read' }
      : baseImageOf(text, settings.buildArgs, settings.target);
  if (settings.dryRun) {
    const base: BaseOutcome = { kind: 'unread', name: image.kind === 'image' ? image.name : undefined };
    return { base, existing: undefined };
  }
  const read = tagReader(settings, engine, question.reader);
  // What the tag holds is read while the base is: both are registry round trips.
  const existing =
    settings.rebuild === 'base-changed' && question.reference !== undefined
      ? read(question.reference, true)
      : undefined;
  existing?.catch(() => undefined);
  const base = await resolveBase(image, read);
  return { base, existing: await existing };
}

/** Reads every fact the plan needs, once. A dry run asks the registry nothing. */
export async function readWorld(question: WorldQuestion): Promise<WorldFacts> {
  const { settings, runner } = question;
  const engine = await engineForRun(runner, settings.dryRun, question.log);
  const dockerContext = await builderContext(runner, settings.builder, engine);
  const { base, existing } =
    question.dockerfile === undefined
      ? { base: undefined, existing: undefined }
      : await readBase(question, engine, question.dockerfile.text);
  const id = randomUUID();
  return {
    engine,
    dockerContext,
    base,
    existing,
    jobDir: path.join(question.env.RUNNER_TEMP || os.tmpdir(), `build-test-push-${id}`),
    testContainer: `${TEST_CONTAINER_PREFIX}${id}`,
  };
}
