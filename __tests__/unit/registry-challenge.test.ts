import fc from 'fast-check';
import { parseChallenges } from '../../src/registry/challenge.js';

describe('parseChallenges', () => {
  it.each([
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    ['Basic', [{ scheme: 'basic', params: {} }]],
    ['basic realm=fake', [{ scheme: 'basic', params: { realm: 'fake' } }]],
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/busybox:pull',
          },
        },
      ],
    ],
    [
      'Bearer realm = "https://ghcr.io/token" , service="ghcr.io",  scope="repository:a/b:pull,push"',
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:a/b:pull,push' },
        },
      ],
    ],
    // Two header lines, as Node joins them.
    [
      'Bearer realm="https://r/token", Basic realm="r"',
      [
        { scheme: 'bearer', params: { realm: 'https://r/token' } },
        { scheme: 'basic', params: { realm: 'r' } },
      ],
    ],
    [
      'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
      [
        { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
        { scheme: 'basic', params: { realm: 'simple' } },
      ],
    ],
    [
      'Negotiate YII=, Basic',
      [
        { scheme: 'negotiate', params: {} },
        { scheme: 'basic', params: {} },
      ],
    ],
    ['Bearer REALM="x", realm="y"', [{ scheme: 'bearer', params: { realm: 'x' } }]],
    [
      'Basic realm="unterminated',
      [
        { scheme: 'basic', params: {} },
        { scheme: 'unterminated', params: {} },
      ],
    ],
    ['', []],
    [' , ,', []],
  ])('%j', (header, expected) => {
    expect(parseChallenges(header)).toEqual(expected);
  });

  const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,15}$/);
  const value = fc.string({
    unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '=', '"', '\\', ':', '/', 'é'),
    maxLength: 30,
  });
  const quote = (text: string): string => `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
  const challenge = fc.record({
    scheme: token,
    params: fc.uniqueArray(fc.tuple(token, value), {
      selector: ([name]) => name.toLowerCase(),
      maxLength: 4,
    }),
  });

  it('reads back any challenges it is given, whatever their quoted values hold', () => {
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 3 }), (challenges) => {
        const header = challenges
          .map(({ scheme, params }) =>
            [scheme, params.map(([name, text]) => `${name}=${quote(text)}`).join(', ')]
              .filter(Boolean)
              .join(' '),
          )
          .join(', ');
        expect(parseChallenges(header)).toEqual(
          challenges.map(({ scheme, params }) => ({
            scheme: scheme.toLowerCase(),
            params: Object.fromEntries(params.map(([name, text]) => [name.toLowerCase(), text])),
          })),
        );
      }),
    );
  });

  it('never throws, whatever the header holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (header) => {
        expect(Array.isArray(parseChallenges(header))).toBe(true);
      }),
    );
  });
});
