import { ImageNameError, parseRegistryHost, parseRepository } from '../../src/shared/image-reference.js';

describe('parseRepository', () => {
  it.each([
    ['ghcr.io/acme/app', undefined, { host: 'ghcr.io', name: 'ghcr.io/acme/app' }],
    ['acme/app', undefined, { host: undefined, name: 'acme/app' }],
    ['app', undefined, { host: undefined, name: 'app' }],
    ['localhost/app', undefined, { host: 'localhost', name: 'localhost/app' }],
    ['localhost:5000/team/app', undefined, { host: 'localhost:5000', name: 'localhost:5000/team/app' }],
    ['127.0.0.1:5056/a/b', undefined, { host: '127.0.0.1:5056', name: '127.0.0.1:5056/a/b' }],
    [
      'registry.example.com:443/x',
      undefined,
      { host: 'registry.example.com:443', name: 'registry.example.com:443/x' },
    ],
    ['[::1]:5000/x', undefined, { host: '[::1]:5000', name: '[::1]:5000/x' }],
    ['GHCR.io/Acme/My-App', undefined, { host: 'ghcr.io', name: 'ghcr.io/acme/my-app' }],
    ['  acme/app  ', undefined, { host: undefined, name: 'acme/app' }],
    ['a_b/c__d/e-f/g--h/i.j', undefined, { host: undefined, name: 'a_b/c__d/e-f/g--h/i.j' }],
    // The default host goes in front of names without their own.
    ['acme/app', 'ghcr.io', { host: 'ghcr.io', name: 'ghcr.io/acme/app' }],
    ['app', 'localhost:5000', { host: 'localhost:5000', name: 'localhost:5000/app' }],
    ['quay.io/acme/app', 'ghcr.io', { host: 'quay.io', name: 'quay.io/acme/app' }],
  ])('%j (default host %p)', (text, defaultHost, expected) => {
    expect(parseRepository(text, defaultHost)).toEqual(expected);
  });

  it.each([
    ['acme/app:1.0', 'includes a tag (":1.0")'],
    ['localhost:5000/app:latest', 'includes a tag (":latest")'],
    ['acme/app@sha256:abc', 'names a digest'],
    ['', 'the image name is empty'],
    ['   ', 'the image name is empty'],
    ['Acme/-app', '"-app" may hold only'],
    ['a//b', '"" may hold only'],
    ['a..b', '"a..b" may hold only'],
    ['acme/app-', '"app-" may hold only'],
    ['acme/a___b', '"a___b" may hold only'],
    ['acme/my app', '"my app" may hold only'],
    ['https://ghcr.io/acme/app', '"https:" is not a valid registry host'],
    ['a..b/c', '"a..b" is not a valid registry host'],
    ['-bad.io/app', '"-bad.io" is not a valid registry host'],
    [`a/${'b'.repeat(254)}`, 'is longer than 255 characters'],
    [`ghcr.io/${'b'.repeat(248)}`, 'is longer than 255 characters'],
  ])('%j → ImageNameError (%s)', (text, message) => {
    expect(() => parseRepository(text)).toThrow(ImageNameError);
    expect(() => parseRepository(text)).toThrow(message);
  });

  it('255 characters are fine', () => {
    expect(parseRepository(`ghcr.io/${'b'.repeat(247)}`).name).toHaveLength(255);
  });
});

describe('parseRegistryHost', () => {
  it.each([
    ['ghcr.io', 'ghcr.io'],
    ['GHCR.IO', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
    ['127.0.0.1:5056', '127.0.0.1:5056'],
    ['[::1]:5000', '[::1]:5000'],
    [' docker.io ', 'docker.io'],
  ])('%j → %j', (text, host) => {
    expect(parseRegistryHost(text)).toBe(host);
  });

  it.each([
    ['https://ghcr.io', 'is not a host[:port]; write only the host'],
    ['ghcr.io/acme', 'is not a host[:port]; write only the host'],
    ['ghcr..io', 'is not a valid registry host[:port]'],
    ['ghcr.io:', 'is not a valid registry host[:port]'],
    ['ghcr.io:123456', 'is not a valid registry host[:port]'],
    ['gh cr.io', 'is not a valid registry host[:port]'],
    ['', 'is not a valid registry host[:port]'],
  ])('%j → ImageNameError', (text, message) => {
    expect(() => parseRegistryHost(text)).toThrow(ImageNameError);
    expect(() => parseRegistryHost(text)).toThrow(message);
  });
});

// Docker compares hosts case-insensitively: LOCALHOST is localhost.
it('an upper-case LOCALHOST is a host like localhost', () => {
  expect(parseRepository('LOCALHOST/app', 'ghcr.io')).toEqual({ host: 'localhost', name: 'localhost/app' });
});
