import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { settingsWith } from '../../__fixtures__/inputs.js';
import { createJobDockerConfig } from '../../src/execute/job-docker-config.js';
import { execute } from '../../src/execute/executor.js';
import { type Log } from '../../src/shared/log.js';
import type { RawInputs } from '../../src/inputs/input-names.js';
import { makePlan, type Step } from '../../src/plan/plan.js';
import type { Command, CommandResult, CommandRunner } from '../../src/shared/command.js';
import { NO_TAGS_YET } from './helpers.js';

const TWO_IMAGES = 'ghcr.io/acme/webapp\ndocker.io/acme/webapp';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

function planFor(inputs: Partial<RawInputs>, tags = ['v1.2.3', 'latest'], jobDir = '/tmp/job'): Step[] {
  const settings = settingsWith({ image: TWO_IMAGES, ...inputs });
  return makePlan({
    settings,
    engine: { buildx: true, serverVersion: '27.0.0' },
    references: settings.images.flatMap((image) => tags.map((tag) => `${image}:${tag}`)),
    labels: {},
    jobDir,
    dockerConfig: settings.credentials === undefined ? undefined : path.join(jobDir, 'docker-config'),
    testContainer: 'build-test-push-in-image-1',
  });
}

describe('several images', () => {
  it('builds once with every reference, and pushes each', () => {
    const steps = planFor({});
    expect(steps.filter((s) => s.kind === 'build')).toHaveLength(1);
    expect(steps.filter((s) => s.kind === 'push').map((s) => s.command.args)).toEqual([
      ['push', 'ghcr.io/acme/webapp:v1.2.3'],
      ['push', 'ghcr.io/acme/webapp:latest'],
      ['push', 'docker.io/acme/webapp:v1.2.3'],
      ['push', 'docker.io/acme/webapp:latest'],
    ]);
  });

  it.each([
    ['no credentials', {}, [false, false]],
    ['credentials, registry from the first image', { username: 'u', password: 'p' }, [true, false]],
    ['credentials for Docker Hub', { username: 'u', password: 'p', registry: 'docker.io' }, [false, true]],
  ] as const)('with %s, knows which pushes this step logged in for', (_name, inputs, loggedIn) => {
    const pushes = planFor(inputs, ['v1']).flatMap((s) => (s.kind === 'push' ? [s] : []));
    expect(pushes.map((s) => [s.registry, s.loggedIn])).toEqual([
      ['ghcr.io', loggedIn[0]],
      ['Docker Hub', loggedIn[1]],
    ]);
  });
});

/** Answers every command like docker would, refusing pushes to the registries named. */
class FakeDocker implements CommandRunner {
  readonly commands: Command[] = [];
  constructor(private readonly refusing: string[]) {}

  async run(command: Command): Promise<CommandResult> {
    this.commands.push(command);
    const [verb, reference = ''] = command.args;
    if (verb === 'buildx') {
      const iidFile = command.args[command.args.indexOf('--iidfile') + 1] ?? '';
      await writeFile(iidFile, `sha256:${'cd'.repeat(32)}`);
      return { exitCode: 0, stdout: '', tail: ['#8 DONE 0.1s'] };
    }
    if (this.refusing.some((host) => reference.startsWith(`${host}/`))) {
      const tail = [
        `The push refers to repository [${reference.replace(/:[^:/]*$/, '')}]`,
        'unauthorized: authentication required',
      ];
      return { exitCode: 1, stdout: '', tail };
    }
    const tag = reference.slice(reference.lastIndexOf(':') + 1);
    return { exitCode: 0, stdout: '', tail: [`${tag}: digest: ${DIGEST} size: 1234`] };
  }
}

const quiet: Log = {
  group: (_title, body) => body(),
  info: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
  debug: () => undefined,
};

describe('a push refused for missing credentials', () => {
  let jobDir: string;
  beforeEach(async () => {
    jobDir = await mkdtemp(path.join(os.tmpdir(), 'job-'));
  });
  afterEach(async () => {
    await rm(jobDir, { recursive: true, force: true });
  });

  it('names the registry that needs a login', async () => {
    const steps = planFor({ username: 'u', password: 'p' }, undefined, jobDir);
    await expect(
      execute(steps, new FakeDocker(['docker.io']), quiet, undefined, undefined, NO_TAGS_YET),
    ).rejects.toThrow(
      'Push of docker.io/acme/webapp:v1.2.3 failed (not retried: a retry cannot fix this): unauthorized: authentication required\n' +
        'Docker Hub needs a login: this step has no credentials for it. Log in to Docker Hub in an earlier step ' +
        '(e.g. docker/login-action), name it in `registry` with `username` and `password`, or add it to `registry-auth`.\n' +
        'Pushed: ghcr.io/acme/webapp:v1.2.3, ghcr.io/acme/webapp:latest\n' +
        'Not pushed: docker.io/acme/webapp:v1.2.3, docker.io/acme/webapp:latest',
    );
  });

  it('says the given credentials were refused when this step logged in there', async () => {
    const steps = planFor({ username: 'u', password: 'p' }, undefined, jobDir);
    await expect(
      execute(steps, new FakeDocker(['ghcr.io']), quiet, undefined, undefined, NO_TAGS_YET),
    ).rejects.toThrow(
      'ghcr.io refused the credentials this step logged in with (`username`/`password`, or its `registry-auth` entry)',
    );
  });
});

describe("the job's docker config", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'docker-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps other registries' credential helpers, drops the login registry's and the store", async () => {
    const user = path.join(dir, 'user');
    await mkdir(user);
    await writeFile(
      path.join(user, 'config.json'),
      JSON.stringify({
        auths: { 'ghcr.io': {} },
        credsStore: 'desktop',
        credHelpers: { 'ghcr.io': 'gh', 'gcr.io': 'gcloud', 'https://index.docker.io/v1/': 'hub' },
      }),
    );
    const job = path.join(dir, 'job');
    await mkdir(job);
    const configDir = path.join(job, 'docker-config');
    await createJobDockerConfig(configDir, user, ['ghcr.io']);
    const config = JSON.parse(await readFile(path.join(configDir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config).toEqual({
      auths: { 'ghcr.io': {} },
      credHelpers: { 'gcr.io': 'gcloud', 'https://index.docker.io/v1/': 'hub' },
    });
  });
});
