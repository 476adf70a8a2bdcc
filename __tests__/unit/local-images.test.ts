// Local image reads over the daemon API against a node:http server on a unix socket standing in for
// dockerd, and the image size the run report takes from them.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type DaemonApi,
  inspectOverApi,
  localConfigLabels,
  type LocalImageAnswer,
  localImageReader,
} from '../../src/docker/local-images.js';
import { RunReport } from '../../src/report/run-report.js';
import { FakeRunner, result } from './helpers.js';

const ID = `sha256:${'ab'.repeat(32)}`;
const INSPECTED = { Id: ID, RepoTags: ['registry.lan:5000/team/app:main'], Size: 4_864_000 };

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const json =
  (status: number, body: unknown): Handler =>
  (_request, response) => {
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };

describe('local image reads over the daemon API', () => {
  let root: string;
  let server: Server;
  let api: DaemonApi;
  let handler: Handler;
  const urls: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'local-images-'));
    api = { socket: path.join(root, 'docker.sock'), version: '1.41' };
    server = createServer((request, response) => {
      urls.push(request.url ?? '');
      handler(request, response);
    });
    await new Promise<void>((resolve) => server.listen(api.socket, resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    urls.length = 0;
    handler = json(200, INSPECTED);
  });

  it('asks GET /v<version>/images/<reference>/json, as docker image inspect does', async () => {
    expect(await inspectOverApi(api, 'registry.lan:5000/team/app:main')).toEqual({ id: ID, size: 4_864_000 });
    expect(urls).toEqual(['/v1.41/images/registry.lan:5000/team/app:main/json']);
  });

  it('an image id works as the reference', async () => {
    await inspectOverApi(api, ID);
    expect(urls).toEqual([`/v1.41/images/${ID}/json`]);
  });

  it('404: no such image here', async () => {
    handler = json(404, { message: 'No such image: x' });
    expect(await inspectOverApi(api, 'x')).toBeNull();
  });

  it.each<[string, Handler]>([
    ['500', json(500, { message: 'boom' })],
    ['400 (an invalid reference)', json(400, { message: 'invalid reference format' })],
    ['not JSON', (_request, response) => response.writeHead(200).end('<html>')],
    ['no Id', json(200, { Size: 1 })],
    ['an Id that is no digest', json(200, { ...INSPECTED, Id: 'abc' })],
    ['a negative Size', json(200, { ...INSPECTED, Size: -1 })],
    ['a Size that is a string', json(200, { ...INSPECTED, Size: '12' })],
    ['a JSON array', json(200, [INSPECTED])],
    ['the connection dropped', (request) => request.socket.destroy()],
  ])('%s: unknown, so the CLI answers instead', async (_label, answer) => {
    handler = answer;
    expect(await inspectOverApi(api, 'registry.lan:5000/team/app:main')).toBe('unknown');
  });

  it('a daemon that does not answer in time: unknown', async () => {
    handler = () => undefined;
    expect(await inspectOverApi(api, 'x', 100)).toBe('unknown');
  });

  it('no socket there: unknown', async () => {
    expect(await inspectOverApi({ ...api, socket: path.join(root, 'missing.sock') }, 'x')).toBe('unknown');
  });

  it.each(['a b', '../../containers/x', 'x?all=1', 'x#y', '', '-x', 'x/../y'])(
    'a reference the path would not carry as is (%j): unknown without asking',
    async (reference) => {
      expect(await inspectOverApi(api, reference)).toBe('unknown');
      expect(urls).toEqual([]);
    },
  );

  it('without an API (the probe ran docker info) every answer is unknown', async () => {
    expect(await localImageReader(undefined)('x')).toBe('unknown');
    expect(await localImageReader(api)('x')).toEqual({ id: ID, size: 4_864_000 });
  });

  it.each<[string, unknown, Record<string, string> | undefined]>([
    [
      'labels',
      { Labels: { 'org.opencontainers.image.revision': 'abc' } },
      { 'org.opencontainers.image.revision': 'abc' },
    ],
    ['null labels: none', { Labels: null }, {}],
    ['no Labels field: none', {}, {}],
    ['a label that is not a string: not known', { Labels: { a: 1 } }, undefined],
    ['labels that are a list: not known', { Labels: ['a=b'] }, undefined],
    ['no Config: not known', undefined, undefined],
  ])('Config.Labels, %s', async (_label, config, labels) => {
    handler = json(200, { ...INSPECTED, Config: config });
    expect(await inspectOverApi(api, ID)).toEqual({ id: ID, size: 4_864_000, labels });
  });

  describe("an image config's labels from the image here", () => {
    const CONFIG = `sha256:${'cd'.repeat(32)}`;
    const LABELS = { 'build-test-push-action.source-ref': 'refs/heads/main' };
    const reader =
      (answer: LocalImageAnswer) =>
      (reference: string): Promise<LocalImageAnswer> => {
        expect(reference).toBe(CONFIG);
        return Promise.resolve(answer);
      };

    it('the image whose id is the config digest: its labels', async () => {
      expect(await localConfigLabels(reader({ id: CONFIG, size: 1, labels: LABELS }), CONFIG)).toEqual(
        LABELS,
      );
    });

    it.each<[string, LocalImageAnswer]>([
      [
        'an image with another id (an image store that names images by manifest)',
        { id: ID, size: 1, labels: LABELS },
      ],
      ['no such image here', null],
      ['the API cannot tell', 'unknown'],
      ['labels not known', { id: CONFIG, size: 1 }],
    ])('%s: undefined, so the registry is read', async (_label, answer) => {
      expect(await localConfigLabels(reader(answer), CONFIG)).toBeUndefined();
    });

    it('over the API: inspects the config digest as an image id', async () => {
      handler = json(200, { Id: CONFIG, Size: 7, Config: { Labels: LABELS } });
      expect(await localConfigLabels(localImageReader(api), CONFIG)).toEqual(LABELS);
      expect(urls).toEqual([`/v1.41/images/${CONFIG}/json`]);
    });
  });

  describe('the run report’s image size', () => {
    const measured = async (runner: FakeRunner, images = localImageReader(api)) => {
      const report = new RunReport({});
      report.measureImage(runner, ID, images);
      await report.finish();
      return report.record.imageSize;
    };
    const SIZE_INSPECT = { program: 'docker', args: ['image', 'inspect', '--format', '{{.Size}}', ID] };

    it('comes from the API, without running docker', async () => {
      const runner = new FakeRunner();
      expect(await measured(runner)).toBe(4_864_000);
      expect(runner.commands).toEqual([]);
    });

    it('when the API cannot tell, from docker image inspect', async () => {
      handler = json(500, {});
      const runner = new FakeRunner(result(0, [], '123456\n'));
      expect(await measured(runner)).toBe(123_456);
      expect(runner.commands).toEqual([SIZE_INSPECT]);
    });

    it('without an API, from docker image inspect', async () => {
      const runner = new FakeRunner(result(0, [], '99\n'));
      expect(await measured(runner, localImageReader(undefined))).toBe(99);
      expect(runner.commands).toEqual([SIZE_INSPECT]);
    });

    it('an image the daemon does not have: no size, and docker is not asked again', async () => {
      handler = json(404, {});
      const runner = new FakeRunner();
      expect(await measured(runner)).toBeUndefined();
      expect(runner.commands).toEqual([]);
    });
  });
});
