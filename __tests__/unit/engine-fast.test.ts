// probeEngineFast against a real node:http server on a unix socket standing in for dockerd.
import fc from 'fast-check';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Engine, parseEngineInfo } from '../../src/docker/docker.js';
import { probeEngineFast } from '../../src/docker/engine.js';
import { FakeRunner, result } from './helpers.js';

/** The server part of dockerd 20.10's /v1.41/info, trimmed to what a probe could read. */
const DAEMON_INFO = {
  ID: 'ABCD:EFGH',
  ServerVersion: '20.10.24+dfsg1',
  RegistryConfig: {
    AllowNondistributableArtifactsCIDRs: [],
    InsecureRegistryCIDRs: ['127.0.0.0/8', '10.9.0.0/16'],
    IndexConfigs: {
      'docker.io': { Name: 'docker.io', Mirrors: [], Secure: true, Official: true },
      'registry.lan:5000': { Name: 'registry.lan:5000', Mirrors: [], Secure: false, Official: false },
    },
    Mirrors: [],
  },
};

const EXPECTED: Engine = {
  buildx: true,
  serverVersion: '20.10.24+dfsg1',
  insecureRegistries: { hosts: ['registry.lan:5000'], cidrs: ['127.0.0.0/8', '10.9.0.0/16'] },
};

/** What `docker info --format '{{json .}}'` prints on the fallback path. */
const CLI_STDOUT = JSON.stringify({
  ...DAEMON_INFO,
  ServerVersion: '99.0.0-cli',
  ClientInfo: { Plugins: [] },
});
const FROM_CLI: Engine = { ...EXPECTED, buildx: false, serverVersion: '99.0.0-cli' };
const DOCKER_INFO = { program: 'docker', args: ['info', '--format', '{{json .}}'] };

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Answers like dockerd: /_ping with its API version, /v1.41/info with `info`. */
const dockerd =
  (info: unknown = DAEMON_INFO): Handler =>
  (request, response) => {
    if (request.url === '/_ping') {
      response.writeHead(200, { 'Api-Version': '1.41', 'Content-Type': 'text/plain' }).end('OK');
    } else if (request.url === '/v1.41/info') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(info));
    } else {
      response.writeHead(404).end('{"message":"page not found"}');
    }
  };

/** /_ping as dockerd answers it; every other request goes to `rest`. */
const pingThen =
  (rest: Handler): Handler =>
  (request, response) => {
    if (request.url === '/_ping') dockerd()(request, response);
    else rest(request, response);
  };

describe('probeEngineFast', () => {
  let root: string;
  let server: Server;
  let socket: string;
  let handler: Handler;
  const urls: string[] = [];
  let env: NodeJS.ProcessEnv;
  const fallbacks: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'engine-fast-'));
    socket = path.join(root, 'docker.sock');
    server = createServer((request, response) => {
      urls.push(request.url ?? '');
      handler(request, response);
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    // A docker CLI on PATH (never run here) and a DOCKER_CONFIG with the buildx plugin.
    await mkdir(path.join(root, 'bin'));
    await writeFile(path.join(root, 'bin', 'docker'), '#!/bin/sh\nexit 99\n', { mode: 0o755 });
    await mkdir(path.join(root, 'config', 'cli-plugins'), { recursive: true });
    await writeFile(path.join(root, 'config', 'cli-plugins', 'docker-buildx'), '#!/bin/sh\n', {
      mode: 0o755,
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    handler = dockerd();
    urls.length = 0;
    fallbacks.length = 0;
    env = {
      DOCKER_HOST: `unix://${socket}`,
      DOCKER_CONFIG: path.join(root, 'config'),
      HOME: root,
      PATH: path.join(root, 'bin'),
    };
  });

  /** What the probe answers when the socket answered: the Engine, and where later reads can go. */
  const inProcess = (engine: Engine, version = '1.41'): Engine => ({
    ...engine,
    daemonApi: { socket, version },
  });

  const probe = (runner: FakeRunner, timeoutMs = 2000): Promise<Engine> =>
    probeEngineFast(runner, env, {
      timeoutMs,
      platform: 'linux',
      onFallback: (reason) => fallbacks.push(reason),
    });

  it('answers from the socket, at the API version /_ping names, without running docker', async () => {
    const runner = new FakeRunner();
    expect(await probe(runner)).toEqual(inProcess(EXPECTED));
    expect(runner.commands).toEqual([]);
    expect(urls).toEqual(['/_ping', '/v1.41/info']);
    expect(fallbacks).toEqual([]);
  });

  it('follows the version the daemon names', async () => {
    handler = (request, response) => {
      if (request.url === '/_ping') response.writeHead(200, { 'Api-Version': '1.47' }).end('OK');
      else if (request.url === '/v1.47/info') response.writeHead(200).end(JSON.stringify(DAEMON_INFO));
      else response.writeHead(400).end();
    };
    expect(await probe(new FakeRunner())).toEqual(inProcess(EXPECTED, '1.47'));
    expect(urls).toEqual(['/_ping', '/v1.47/info']);
  });

  it('no plugin in DOCKER_CONFIG: still answered without running docker', async () => {
    env.DOCKER_CONFIG = path.join(root, 'empty-config');
    const runner = new FakeRunner();
    const engine = await probe(runner);
    expect(engine).toEqual(inProcess({ ...EXPECTED, buildx: engine.buildx }));
    expect(runner.commands).toEqual([]);
  });

  it('DOCKER_CONFIG unset: ~/.docker under HOME is read', async () => {
    delete env.DOCKER_CONFIG;
    await mkdir(path.join(root, '.docker'), { recursive: true });
    await writeFile(path.join(root, '.docker', 'config.json'), '{"currentContext":"remote"}');
    const runner = new FakeRunner(result(0, [], CLI_STDOUT));
    expect(await probe(runner)).toEqual(FROM_CLI);
    expect(fallbacks).toEqual([expect.stringMatching(/context remote/)]);
  });

  const LONG_JSON = JSON.stringify(DAEMON_INFO);
  it.each<[string, Handler, RegExp]>([
    ['/info answers 500', pingThen((_req, res) => res.writeHead(500).end('{}')), /500/],
    ['/info answers garbage', pingThen((_req, res) => res.writeHead(200).end('<html>')), /socket/],
    [
      '/info is JSON without ServerVersion',
      dockerd({ RegistryConfig: DAEMON_INFO.RegistryConfig }),
      /expected fields/,
    ],
    ['/info is a JSON array', dockerd([DAEMON_INFO]), /expected fields/],
    ['RegistryConfig is not an object', dockerd({ ...DAEMON_INFO, RegistryConfig: 'x' }), /expected fields/],
    [
      'an IndexConfig with Secure as a string',
      dockerd({ ...DAEMON_INFO, RegistryConfig: { IndexConfigs: { a: { Name: 'a', Secure: 'no' } } } }),
      /expected fields/,
    ],
    ['/_ping names no API version', (_req, res) => res.writeHead(200).end('OK'), /API version none/],
    ['/_ping answers 500', (_req, res) => res.writeHead(500, { 'Api-Version': '1.41' }).end(), /500/],
    [
      '/_ping names a strange version',
      (_req, res) => res.writeHead(200, { 'Api-Version': '../x' }).end(),
      /API version/,
    ],
    [
      'the connection closes mid-answer',
      pingThen((_req, res) => {
        res.writeHead(200, { 'Content-Length': String(LONG_JSON.length) });
        res.write(LONG_JSON.slice(0, 20), () => res.destroy());
      }),
      /socket/,
    ],
  ])('%s: docker info answers instead', async (_label, answer, reason) => {
    handler = answer;
    const runner = new FakeRunner(result(0, [], CLI_STDOUT));
    expect(await probe(runner)).toEqual(FROM_CLI);
    expect(runner.commands).toEqual([DOCKER_INFO]);
    expect(fallbacks).toEqual([expect.stringMatching(reason)]);
  });

  it('a daemon that never answers: docker info after the timeout', async () => {
    handler = () => undefined;
    const runner = new FakeRunner(result(0, [], CLI_STDOUT));
    expect(await probe(runner, 200)).toEqual(FROM_CLI);
    expect(runner.commands).toEqual([DOCKER_INFO]);
    expect(fallbacks).toEqual([expect.stringMatching(/socket/)]);
  });

  it('a daemon that stops after the headers: docker info after the timeout', async () => {
    handler = pingThen((_req, res) => {
      res.writeHead(200, { 'Content-Length': '5000' });
      res.write('{"ServerVersion"');
    });
    const runner = new FakeRunner(result(0, [], CLI_STDOUT));
    expect(await probe(runner, 200)).toEqual(FROM_CLI);
    expect(runner.commands).toEqual([DOCKER_INFO]);
  });

  it('no socket at the path: docker info runs and its error is the one thrown', async () => {
    env.DOCKER_HOST = `unix://${path.join(root, 'missing.sock')}`;
    const runner = new FakeRunner(
      result(1, ['Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?'], ''),
    );
    await expect(probe(runner)).rejects.toThrow(
      'The Docker daemon is not reachable: Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running. Start Docker on this runner (or set DOCKER_HOST) before this step.',
    );
    expect(runner.commands).toEqual([DOCKER_INFO]);
    expect(fallbacks).toEqual([expect.stringMatching(/ENOENT/)]);
  });

  it.each<[string, (env: NodeJS.ProcessEnv) => Promise<void> | void, RegExp]>([
    ['DOCKER_HOST is tcp', (e) => void (e.DOCKER_HOST = 'tcp://127.0.0.1:2375'), /tcp/],
    ['DOCKER_CONTEXT names a context', (e) => void (e.DOCKER_CONTEXT = 'ci'), /DOCKER_CONTEXT/],
    ['DOCKER_TLS_VERIFY is set', (e) => void (e.DOCKER_TLS_VERIFY = '1'), /TLS/],
    ['docker is not on PATH', (e) => void (e.PATH = root), /PATH/],
    [
      'config.json maps aliases',
      async (e) => {
        e.DOCKER_CONFIG = path.join(root, 'aliased');
        await mkdir(e.DOCKER_CONFIG, { recursive: true });
        await writeFile(path.join(e.DOCKER_CONFIG, 'config.json'), '{"aliases":{"builder":"buildx"}}');
      },
      /aliases/,
    ],
    [
      'the plugin file is not executable',
      async (e) => {
        e.DOCKER_CONFIG = path.join(root, 'broken-plugin');
        await mkdir(path.join(e.DOCKER_CONFIG, 'cli-plugins'), { recursive: true });
        await writeFile(path.join(e.DOCKER_CONFIG, 'cli-plugins', 'docker-buildx'), '', { mode: 0o644 });
      },
      /plugin/,
    ],
  ])('%s: docker info answers', async (_label, change, reason) => {
    await change(env);
    const runner = new FakeRunner(result(0, [], CLI_STDOUT));
    expect(await probe(runner)).toEqual(FROM_CLI);
    expect(runner.commands).toEqual([DOCKER_INFO]);
    expect(fallbacks).toEqual([expect.stringMatching(reason)]);
  });

  it('matches parseEngineInfo on the CLI JSON for any registry configuration', async () => {
    const indexConfig = fc.record({ Name: fc.string(), Secure: fc.boolean(), Official: fc.boolean() });
    const info = fc.record(
      {
        ServerVersion: fc.string({ minLength: 1 }),
        RegistryConfig: fc.record(
          {
            InsecureRegistryCIDRs: fc.option(fc.array(fc.string()), { nil: undefined }),
            IndexConfigs: fc.option(fc.dictionary(fc.string(), indexConfig), { nil: undefined }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['ServerVersion'] },
    );
    await fc.assert(
      fc.asyncProperty(info, async (daemonInfo) => {
        handler = dockerd(daemonInfo);
        const cliJson = JSON.stringify({ ...daemonInfo, ClientInfo: { Plugins: [{ Name: 'buildx' }] } });
        expect(await probe(new FakeRunner())).toEqual(inProcess(parseEngineInfo(cliJson, 0, [])));
      }),
      { numRuns: 50 },
    );
  });
});
