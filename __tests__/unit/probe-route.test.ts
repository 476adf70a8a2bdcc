import type { CliConfig } from '../../src/docker/cli-config.js';
import { probeRoute } from '../../src/docker/probe-route.js';

const PLAIN: CliConfig = { currentContext: undefined, pluginExtraDirs: [], hasAliases: false };
const config = (overrides: Partial<CliConfig>): CliConfig => ({ ...PLAIN, ...overrides });

describe('probeRoute: the socket to ask, or why docker info must answer', () => {
  it.each<[string, NodeJS.ProcessEnv, CliConfig | undefined, { socket: string } | { fallback: RegExp }]>([
    ['nothing set: the default socket', {}, PLAIN, { socket: '/var/run/docker.sock' }],
    ['DOCKER_HOST empty: as unset', { DOCKER_HOST: '' }, PLAIN, { socket: '/var/run/docker.sock' }],
    [
      'DOCKER_HOST unix:// with a path',
      { DOCKER_HOST: 'unix:///run/user/1001/docker.sock' },
      PLAIN,
      { socket: '/run/user/1001/docker.sock' },
    ],
    ['DOCKER_CONTEXT default', { DOCKER_CONTEXT: 'default' }, PLAIN, { socket: '/var/run/docker.sock' }],
    ['currentContext default', {}, config({ currentContext: 'default' }), { socket: '/var/run/docker.sock' }],
    ['currentContext empty', {}, config({ currentContext: '' }), { socket: '/var/run/docker.sock' }],
    [
      'extra plugin folders do not matter here',
      {},
      config({ pluginExtraDirs: ['/x'] }),
      { socket: '/var/run/docker.sock' },
    ],
    ['DOCKER_HOST tcp', { DOCKER_HOST: 'tcp://10.0.0.2:2376' }, PLAIN, { fallback: /DOCKER_HOST is tcp:/ }],
    ['DOCKER_HOST ssh', { DOCKER_HOST: 'ssh://me@builder' }, PLAIN, { fallback: /not a unix socket/ }],
    [
      'DOCKER_HOST npipe',
      { DOCKER_HOST: 'npipe:////./pipe/docker_engine' },
      PLAIN,
      { fallback: /not a unix socket/ },
    ],
    [
      'DOCKER_HOST unix with a relative path',
      { DOCKER_HOST: 'unix://docker.sock' },
      PLAIN,
      { fallback: /not a unix/ },
    ],
    [
      'DOCKER_HOST with spaces around',
      { DOCKER_HOST: ' unix:///var/run/docker.sock' },
      PLAIN,
      { fallback: /not a unix/ },
    ],
    [
      'DOCKER_HOST unix with a query',
      { DOCKER_HOST: 'unix:///a.sock?x=1' },
      PLAIN,
      { fallback: /not a unix/ },
    ],
    [
      'DOCKER_CONTEXT names a context',
      { DOCKER_CONTEXT: 'remote' },
      PLAIN,
      { fallback: /DOCKER_CONTEXT is remote/ },
    ],
    [
      'DOCKER_CONTEXT wins nothing over a unix DOCKER_HOST here: still docker info',
      { DOCKER_CONTEXT: 'remote', DOCKER_HOST: 'unix:///var/run/docker.sock' },
      PLAIN,
      { fallback: /DOCKER_CONTEXT/ },
    ],
    ['config.json currentContext', {}, config({ currentContext: 'colima' }), { fallback: /context colima/ }],
    ['DOCKER_TLS_VERIFY', { DOCKER_TLS_VERIFY: '1' }, PLAIN, { fallback: /DOCKER_TLS_VERIFY/ }],
    ['DOCKER_CERT_PATH', { DOCKER_CERT_PATH: '/certs' }, PLAIN, { fallback: /DOCKER_CERT_PATH/ }],
    ['DOCKER_API_VERSION', { DOCKER_API_VERSION: '1.41' }, PLAIN, { fallback: /DOCKER_API_VERSION/ }],
    ['aliases in config.json', {}, config({ hasAliases: true }), { fallback: /aliases/ }],
    ['an unreadable config.json', {}, undefined, { fallback: /config\.json/ }],
  ])('%s', (_label, env, cliConfig, expected) => {
    const route = probeRoute(env, cliConfig, 'linux');
    if ('socket' in expected) expect(route).toEqual(expected);
    else expect(route).toEqual({ fallback: expect.stringMatching(expected.fallback) as unknown });
  });

  it('on Windows: always docker info (a named pipe, .exe plugins)', () => {
    expect(probeRoute({}, PLAIN, 'win32')).toEqual({ fallback: expect.stringMatching(/Windows/) as unknown });
  });
});
