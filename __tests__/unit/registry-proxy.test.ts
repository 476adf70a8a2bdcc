import { proxyFor } from '../../src/registry/proxy.js';

describe('proxyFor (Go httpproxy rules)', () => {
  it.each([
    ['https://ghcr.io/v2/', {}, undefined],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'http://proxy:3128' }, 'HTTPS_PROXY'],
    ['https://ghcr.io/v2/', { https_proxy: 'proxy:3128' }, 'https_proxy'],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'http://a', https_proxy: 'http://b' }, 'HTTPS_PROXY'],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: '' }, undefined],
    ['https://ghcr.io/v2/', { HTTP_PROXY: 'http://proxy:3128' }, undefined],
    ['http://reg.lan:5000/v2/', { HTTP_PROXY: 'http://proxy:3128' }, 'HTTP_PROXY'],
    // Go reads no ALL_PROXY.
    ['https://ghcr.io/v2/', { ALL_PROXY: 'socks5://proxy' }, undefined],
    ['https://127.0.0.1:5000/v2/', { HTTPS_PROXY: 'http://proxy' }, undefined],
    ['https://127.8.0.1/v2/', { HTTPS_PROXY: 'http://proxy' }, undefined],
    ['https://localhost:5000/v2/', { HTTPS_PROXY: 'http://proxy' }, undefined],
    ['https://[::1]:5000/v2/', { HTTPS_PROXY: 'http://proxy' }, undefined],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: '*' }, undefined],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'http://proxy', no_proxy: 'ghcr.io' }, undefined],
    ['https://pkg.ghcr.io/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: 'ghcr.io' }, undefined],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: '.ghcr.io' }, 'HTTPS_PROXY'],
    ['https://pkg.ghcr.io/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: '*.ghcr.io' }, undefined],
    ['https://notghcr.io/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: 'ghcr.io' }, 'HTTPS_PROXY'],
    ['https://GHCR.io/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: 'example.com, GHCR.IO' }, undefined],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: 'ghcr.io:443' }, undefined],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: 'ghcr.io:5000' }, 'HTTPS_PROXY'],
    ['https://reg.lan:5000/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: 'reg.lan:5000' }, undefined],
    ['https://10.1.2.3:5000/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: '10.0.0.0/8' }, undefined],
    ['https://11.1.2.3:5000/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: '10.0.0.0/8' }, 'HTTPS_PROXY'],
    ['https://10.1.2.3/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: '10.1.2.3' }, undefined],
    ['https://[fd00::5]:5000/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: 'fd00::/8' }, undefined],
    ['https://[fd00::5]:5000/v2/', { HTTPS_PROXY: 'http://proxy', NO_PROXY: '[fd00::5]:5000' }, undefined],
    [
      'https://ghcr.io/v2/',
      { HTTPS_PROXY: 'http://proxy', NO_PROXY: '10.0.0.0/not-a-prefix' },
      'HTTPS_PROXY',
    ],
  ] as [string, NodeJS.ProcessEnv, string | undefined][])('%s with %j → %s', (url, env, variable) => {
    // The proxy is the variable's value; one without a scheme is an http:// proxy.
    const value = variable === undefined ? undefined : env[variable];
    const expected =
      value === undefined ? undefined : new URL(value.includes('://') ? value : `http://${value}`);
    expect(proxyFor(new URL(url), env)?.href).toBe(expected?.href);
  });

  it('a value that is no URL is an error naming the variable, not its value', () => {
    expect(() => proxyFor(new URL('https://ghcr.io/v2/'), { HTTPS_PROXY: 'http://us:pw@[bad' })).toThrow(
      /^HTTPS_PROXY is not a valid proxy URL$/,
    );
  });
});
