import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { StepError } from '../../src/shared/errors.js';
import { execute } from '../../src/execute/executor.js';
import { makePlan, type Step } from '../../src/plan/plan.js';
import { contentOfInspect } from '../../src/docker/image-content.js';
import { unchangedInRegistry } from '../../src/execute/registry-checks.js';
import type { FoundTag, RemoteRead } from '../../src/registry/registry-reader.js';
import { FakeReader, FakeRunner, recordingLog, result, settings } from './helpers.js';

const A = 'localhost:5000/team/app:main';
const B = 'localhost:5000/team/app:0123456';
const digest = (n: string) => `sha256:${n.repeat(64)}`;
const IMAGE_ID = digest('f');
const SOURCE_REF = 'build-test-push-action.source-ref';

let jobDir: string;
let log = recordingLog();

beforeEach(async () => {
  jobDir = await mkdtemp(path.join(tmpdir(), 'registry-reads-test-'));
  log = recordingLog();
});
afterEach(async () => {
  await rm(jobDir, { recursive: true, force: true });
});

function plan(references = [A], buildx = true): Step[] {
  return makePlan({
    settings: settings({ loginRegistry: 'localhost:5000' }),
    engine: { buildx, serverVersion: '20.10.24' },
    references,
    labels: { [SOURCE_REF]: 'refs/heads/main' },
    cacheImages: [],
    jobDir,
    dockerConfig: undefined,
    testContainer: 'build-test-push-in-image-1234',
  });
}

const found = (n: string, configDigest?: string, ref = 'refs/heads/main'): RemoteRead => ({
  kind: 'found',
  digest: digest(n),
  configDigest,
  labels: { [SOURCE_REF]: ref },
});

const INSPECT = JSON.stringify({
  Os: 'linux',
  Architecture: 'amd64',
  Config: { Cmd: ['node'], Labels: { [SOURCE_REF]: 'refs/heads/main' } },
  RootFS: { Type: 'layers', Layers: [digest('1')] },
});
const CONTENT = contentOfInspect(INSPECT) ?? '';
const withContent = (read: RemoteRead, content = CONTENT): RemoteRead => ({ ...read, content }) as RemoteRead;

const built = (id: string) => async () => {
  await writeFile(path.join(jobDir, 'image-id'), `${id}\n`);
  return result(0, ['#8 DONE 0.1s']);
};
const pushed = (tag: string, n: string) =>
  result(0, [
    'The push refers to repository [localhost:5000/team/app]',
    `${tag}: digest: ${digest(n)} size: 527`,
  ]);

function programs(runner: FakeRunner): string[] {
  return runner.commands.map((command) => command.args.slice(0, 2).join(' '));
}

describe('registry reads in-process', () => {
  it('a lookup and a read-back the reader answers run no docker command', async () => {
    const reader = new FakeReader({ kind: 'missing' }, found('a'));
    const runner = new FakeRunner(built(IMAGE_ID), pushed('main', 'a'));
    const execution = await execute(plan(), runner, log, undefined, undefined, { retries: 0, reader });
    expect(programs(runner)).toEqual(['buildx build', 'push localhost:5000/team/app:main']);
    expect(reader.asked.map(([reference, request]) => [reference, request.labels])).toEqual([
      [A, true],
      [A, false],
    ]);
    expect(execution.digests.get(A)).toBe(digest('a'));
    expect(execution.phases.map((timing) => timing.activity)).toEqual([
      'lookup',
      'build',
      'push',
      'read-back',
    ]);
  });

  it('a tag the reader cannot read is judged by the collision policy, with no docker command', async () => {
    const reader = new FakeReader({ kind: 'unknown', reason: 'HTTP 500' });
    const runner = new FakeRunner();
    const lookups = plan().filter((step) => step.kind === 'lookup');
    const error: unknown = await execute(lookups, runner, log, undefined, undefined, {
      retries: 0,
      reader,
    }).catch((thrown: unknown) => thrown);
    expect((error as StepError).message).toMatch(/could not read what the tag holds now \(HTTP 500\)/);
    expect(runner.commands).toEqual([]);
  });

  it('a collision the reader finds fails the run', async () => {
    const reader = new FakeReader(found('a', undefined, 'refs/heads/feature/main'));
    const runner = new FakeRunner();
    const error: unknown = await execute(plan(), runner, log, undefined, undefined, {
      retries: 0,
      reader,
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).message).toMatch(/^Tag collision: .*"refs\/heads\/feature\/main"/);
    expect(runner.commands).toEqual([]);
  });

  it('a read-back that finds another digest fails, naming both', async () => {
    const reader = new FakeReader({ kind: 'missing' }, found('9'));
    const runner = new FakeRunner(built(IMAGE_ID), pushed('main', 'a'));
    const error: unknown = await execute(plan(), runner, log, undefined, undefined, {
      retries: 0,
      reader,
    }).catch((thrown: unknown) => thrown);
    expect((error as StepError).message).toBe(
      `The registry holds ${digest('9')} for ${A}, but the push reported ${digest('a')}: another push may have overwritten it.`,
    );
  });
});

describe('a push that would change nothing', () => {
  it('is skipped when the tag already holds the built image, and so is the read-back', async () => {
    const reader = new FakeReader(found('a', IMAGE_ID));
    const runner = new FakeRunner(built(IMAGE_ID));
    const execution = await execute(plan(), runner, log, undefined, undefined, { retries: 0, reader });
    expect(programs(runner)).toEqual(['buildx build']);
    expect(execution.alreadyInRegistry).toEqual([A]);
    expect(execution.digests.get(A)).toBe(digest('a'));
    expect(reader.asked.map(([, request]) => request.labels)).toEqual([true]);
    expect(log.infos).toContainEqual(
      expect.stringMatching(/^Not pushing .*:main: the registry already holds this very image/),
    );
    expect(log.infos).toContain(`Not read back: nothing was pushed, and the lookup read ${A} just now.`);
  });

  it('leaves out the size comparison with the default branch: nothing is pushed that could have grown', async () => {
    const feature = 'localhost:5000/team/app:feature';
    const steps = makePlan({
      settings: settings({ loginRegistry: 'localhost:5000' }),
      engine: { buildx: true, serverVersion: '20.10.24' },
      references: [feature],
      labels: { [SOURCE_REF]: 'refs/heads/feature' },
      cacheImages: [],
      defaultImage: A,
      jobDir,
      dockerConfig: undefined,
      testContainer: 'build-test-push-in-image-1234',
    });
    expect(steps.map((step) => step.kind)).toContain('size-check');
    const reader = new FakeReader(found('a', IMAGE_ID, 'refs/heads/feature'));
    const runner = new FakeRunner(built(IMAGE_ID));
    const execution = await execute(steps, runner, log, undefined, undefined, { retries: 0, reader });
    expect(execution.alreadyInRegistry).toEqual([feature]);
    // Neither the default branch's image is read nor the built one's layers (docker history, inspect).
    expect(reader.asked.map(([reference]) => reference)).toEqual([feature]);
    expect(programs(runner)).toEqual(['buildx build']);
    expect(log.infos).toContain(
      'No size comparison: nothing is pushed, the registry already holds this image.',
    );
  });

  it('is pushed when the tag holds another image', async () => {
    const reader = new FakeReader(found('a', digest('e')), found('b'));
    const runner = new FakeRunner(built(IMAGE_ID), pushed('main', 'b'));
    const execution = await execute(plan(), runner, log, undefined, undefined, { retries: 0, reader });
    expect(programs(runner)).toEqual(['buildx build', 'push localhost:5000/team/app:main']);
    expect(execution.alreadyInRegistry).toEqual([]);
  });

  it('is skipped when the ids differ but the tag holds the same layers and config', async () => {
    const reader = new FakeReader(withContent(found('a', digest('e'))));
    const runner = new FakeRunner(built(IMAGE_ID), result(0, [], INSPECT));
    const execution = await execute(plan(), runner, log, undefined, undefined, { retries: 0, reader });
    expect(runner.commands.map((command) => command.args.join(' '))).toEqual([
      expect.stringMatching(/^buildx build /),
      `image inspect --format {{json .}} ${IMAGE_ID}`,
    ]);
    expect(execution.alreadyInRegistry).toEqual([A]);
    expect(execution.digests.get(A)).toBe(digest('a'));
    expect(execution.imageId).toBe(IMAGE_ID);
    expect(log.infos).toContainEqual(
      expect.stringMatching(
        /^Not pushing .*:main: the registry already holds an image with the same layers and config/,
      ),
    );
  });

  it('is pushed when the ids differ and so does the content', async () => {
    const reader = new FakeReader(withContent(found('a', digest('e')), 'other content'), found('b'));
    const runner = new FakeRunner(built(IMAGE_ID), result(0, [], INSPECT), pushed('main', 'b'));
    const execution = await execute(plan(), runner, log, undefined, undefined, { retries: 0, reader });
    expect(programs(runner)).toEqual(['buildx build', 'image inspect', 'push localhost:5000/team/app:main']);
    expect(execution.alreadyInRegistry).toEqual([]);
  });

  it('is pushed, without inspecting the image, when the registry was read without its content', async () => {
    const reader = new FakeReader(found('a', digest('e')), found('b'));
    const runner = new FakeRunner(built(IMAGE_ID), pushed('main', 'b'));
    await execute(plan(), runner, log, undefined, undefined, { retries: 0, reader });
    expect(programs(runner)).toEqual(['buildx build', 'push localhost:5000/team/app:main']);
  });

  it('is pushed when docker cannot inspect the built image', async () => {
    const reader = new FakeReader(withContent(found('a', digest('e'))), found('b'));
    const runner = new FakeRunner(built(IMAGE_ID), result(1, ['Error: No such image']), pushed('main', 'b'));
    const execution = await execute(plan(), runner, log, undefined, undefined, { retries: 0, reader });
    expect(programs(runner)).toEqual(['buildx build', 'image inspect', 'push localhost:5000/team/app:main']);
    expect(execution.alreadyInRegistry).toEqual([]);
  });

  it('pushes every tag when only some hold the built image (one build keeps one digest)', async () => {
    const reader = new FakeReader(found('a', IMAGE_ID), { kind: 'missing' }, found('b'), found('b'));
    const runner = new FakeRunner(built(IMAGE_ID), pushed('main', 'b'), pushed('0123456', 'b'));
    await execute(plan([A, B]), runner, log, undefined, undefined, { retries: 0, reader });
    expect(programs(runner)).toEqual([
      'buildx build',
      'push localhost:5000/team/app:main',
      'push localhost:5000/team/app:0123456',
    ]);
  });
});

describe('unchangedInRegistry', () => {
  const image = (n: string, configDigest?: string): FoundTag => ({
    kind: 'found',
    digest: digest(n),
    labels: {},
    configDigest,
  });
  it.each<[string, string[], [string, FoundTag][], string | undefined, boolean]>([
    ['one tag holding the image', [A], [[A, image('a', IMAGE_ID)]], IMAGE_ID, true],
    [
      'two tags, one manifest',
      [A, B],
      [
        [A, image('a', IMAGE_ID)],
        [B, image('a', IMAGE_ID)],
      ],
      IMAGE_ID,
      true,
    ],
    [
      'two tags, two manifests of it',
      [A, B],
      [
        [A, image('a', IMAGE_ID)],
        [B, image('b', IMAGE_ID)],
      ],
      IMAGE_ID,
      false,
    ],
    ['a tag that does not exist', [A, B], [[A, image('a', IMAGE_ID)]], IMAGE_ID, false],
    ['another image', [A], [[A, image('a', digest('e'))]], IMAGE_ID, false],
    ['an index (no config digest)', [A], [[A, image('a')]], IMAGE_ID, false],
    // The containerd image store: the image id is the manifest's (or the index's) digest.
    ['image id = the manifest digest (containerd store)', [A], [[A, image('a')]], digest('a'), true],
    ['image id = another manifest digest', [A], [[A, image('a')]], digest('b'), false],
    ['no image id', [A], [[A, image('a', IMAGE_ID)]], undefined, false],
    ['nothing to push', [], [], IMAGE_ID, false],
  ])('%s', (_name, references, existing, imageId, unchanged) => {
    expect(unchangedInRegistry(references, new Map(existing), imageId) !== undefined).toBe(unchanged);
  });
});

describe('unchangedInRegistry by content', () => {
  const image = (n: string, content?: string): FoundTag => ({
    kind: 'found',
    digest: digest(n),
    labels: {},
    configDigest: digest('e'),
    ...(content === undefined ? {} : { content }),
  });
  it.each<[string, string[], [string, FoundTag][], string | undefined, 'image' | 'content' | undefined]>([
    ['one tag of the same content', [A], [[A, image('a', 'C')]], 'C', 'content'],
    [
      'two tags, one manifest of the same content',
      [A, B],
      [
        [A, image('a', 'C')],
        [B, image('a', 'C')],
      ],
      'C',
      'content',
    ],
    [
      'two tags, two manifests of the same content',
      [A, B],
      [
        [A, image('a', 'C')],
        [B, image('b', 'C')],
      ],
      'C',
      undefined,
    ],
    [
      'one tag of the content, one of none read',
      [A, B],
      [
        [A, image('a', 'C')],
        [B, image('a')],
      ],
      'C',
      undefined,
    ],
    ['a tag that does not exist', [A, B], [[A, image('a', 'C')]], 'C', undefined],
    ['other content', [A], [[A, image('a', 'D')]], 'C', undefined],
    ['the registry content unread', [A], [[A, image('a')]], 'C', undefined],
    ['the local content unread', [A], [[A, image('a', 'C')]], undefined, undefined],
    ['the very image: the id wins', [A], [[A, { ...image('a', 'D'), configDigest: IMAGE_ID }]], 'C', 'image'],
  ])('%s', (_name, references, existing, content, match) => {
    expect(unchangedInRegistry(references, new Map(existing), IMAGE_ID, content)?.match).toBe(match);
  });

  it('names the digest each tag holds', () => {
    const held = unchangedInRegistry([A], new Map([[A, image('a', 'C')]]), IMAGE_ID, 'C');
    expect(held?.digests).toEqual(new Map([[A, digest('a')]]));
  });
});
