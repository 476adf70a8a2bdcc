import { InputError } from '../../src/shared/errors.js';
import { checkOneLoginPerRegistry, stepLogins } from '../../src/inputs/logins.js';
import {
  parseRegistryAuth as parseWith,
  type ReadYaml,
  registryAuthValuesToMask as maskWith,
  yamlReaderFor,
} from '../../src/inputs/registry-auth.js';
import { makePlan } from '../../src/plan/plan.js';
import { Secret } from '../../src/shared/secret.js';
import { settings } from './helpers.js';

const TWO = `- username: hub-user
  password: hub-p4ss
- registry: ghcr.io
  username: gh-user
  password: "0123"
`;

let readYaml: ReadYaml;
beforeAll(async () => {
  readYaml = await yamlReaderFor(TWO);
});
const parseRegistryAuth = (text: string) => parseWith(text, readYaml);
const registryAuthValuesToMask = (text: string) => maskWith(text, readYaml);

function failure(text: string): InputError {
  try {
    parseRegistryAuth(text);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no InputError');
}

describe('parseRegistryAuth', () => {
  it("reads login-action's list: no registry is Docker Hub; every value stays a string", () => {
    const { logins, withoutPassword } = parseRegistryAuth(TWO);
    expect(withoutPassword).toEqual([]);
    expect(logins.map(({ registry, username, password }) => [registry, username, password.reveal()])).toEqual(
      [
        [undefined, 'hub-user', 'hub-p4ss'],
        ['ghcr.io', 'gh-user', '0123'],
      ],
    );
    expect(JSON.stringify(logins)).not.toContain('hub-p4ss');
  });

  it('empty: no logins', () => {
    expect(parseRegistryAuth('  \n')).toEqual({ logins: [], withoutPassword: [] });
  });

  it('a registry host is lower-cased, a port kept', () => {
    expect(
      parseRegistryAuth('- registry: GHCR.io:443\n  username: u\n  password: p').logins[0]?.registry,
    ).toBe('ghcr.io:443');
  });

  test.each([
    ['not YAML', '- registry: ghcr.io\n username: x\n  password: [', 'is not a YAML list of logins'],
    ['a map, not a list', 'registry: ghcr.io\nusername: u\npassword: s3cr3t-value', 'is not a YAML list'],
    ['an entry that is text', '- s3cr3t-value', 'entry 1 is not a map'],
    ['no username', '- registry: ghcr.io\n  password: s3cr3t-value', 'entry 1 has no username'],
    [
      'a URL for registry',
      '- registry: https://ghcr.io\n  username: u\n  password: s3cr3t-value',
      'entry 1: "https://ghcr.io" is not a host',
    ],
    [
      'scope',
      '- username: u\n  password: s3cr3t-value\n  scope: acme/app@push',
      "login-action's `scope` is not supported",
    ],
    [
      'ecr',
      '- username: u\n  password: s3cr3t-value\n  ecr: "true"',
      "login-action's `ecr` is not supported",
    ],
    [
      'an unknown key',
      '- username: u\n  password: s3cr3t-value\n  pasword: x',
      '`pasword` is not a key it takes',
    ],
  ])('%s: an error naming registry-auth, never quoting a password', (_, text, message) => {
    const error = failure(text);
    expect(error.input).toBe('registry-auth');
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('s3cr3t-value');
  });
});

describe('registryAuthValuesToMask', () => {
  it('every password, a multi-line one whole and line by line', () => {
    const text = '- username: u\n  password: "line-one\\nline-two"\n- username: v\n  password: p2';
    expect(registryAuthValuesToMask(text).sort()).toEqual([
      'line-one',
      'line-one\nline-two',
      'line-two',
      'p2',
    ]);
  });

  it('YAML it cannot read: every line, so a password in it is masked anyway', () => {
    expect(registryAuthValuesToMask('- password: [s3cr3t\n')).toEqual(['- password: [s3cr3t']);
  });

  it('nothing for an empty input', () => {
    expect(registryAuthValuesToMask('')).toEqual([]);
  });
});

describe("an entry whose password is empty (a fork's secrets are) is set aside, not an error yet", () => {
  test.each([
    ['no password', '- registry: ghcr.io\n  username: u', 'ghcr.io', 'entry 2 has no password'],
    [
      'an empty password',
      '- registry: ghcr.io\n  username: u\n  password: ""',
      'ghcr.io',
      'entry 2 has no password',
    ],
    [
      'username and password empty',
      '- username:\n  password:',
      undefined,
      'entry 2 has no username and no password',
    ],
  ])('%s', (_, entry, registry, problem) => {
    const { logins, withoutPassword } = parseRegistryAuth(
      `- registry: quay.io\n  username: q\n  password: s3cr3t-value\n${entry}`,
    );
    expect(logins.map((login) => login.registry)).toEqual(['quay.io']);
    expect(withoutPassword).toEqual([
      {
        registry,
        input: 'registry-auth',
        source: '`registry-auth` entry 2',
        problem: expect.stringContaining(problem) as string,
      },
    ]);
    expect(JSON.stringify(withoutPassword)).not.toContain('s3cr3t-value');
  });
});

describe('the logins of a step', () => {
  const own = { username: 'me', password: new Secret('own-pass') };

  it('username/password first, then each registry-auth entry, each naming its input', () => {
    const logins = stepLogins({
      credentials: own,
      loginRegistry: 'ghcr.io',
      registryAuth: parseRegistryAuth(TWO.replace('ghcr.io', 'quay.io')).logins,
    });
    expect(logins.map((login) => [login.registry, login.source])).toEqual([
      ['ghcr.io', '`username`/`password`'],
      [undefined, '`registry-auth` entry 1'],
      ['quay.io', '`registry-auth` entry 2'],
    ]);
  });

  test.each([
    [
      'registry-auth twice',
      undefined,
      '- username: a\n  password: b\n- registry: docker.io\n  username: c\n  password: d',
    ],
    ['username/password and registry-auth', 'ghcr.io', TWO],
  ])('one login per registry: %s is an error', (_, loginRegistry, text) => {
    const logins = stepLogins({
      credentials: loginRegistry === undefined ? undefined : own,
      loginRegistry,
      registryAuth: parseRegistryAuth(text).logins,
    });
    expect(() => {
      checkOneLoginPerRegistry(logins);
    }).toThrow(
      /(docker.io|ghcr.io) is logged in to twice, by .* and by `registry-auth` entry \d; keep one login per registry/,
    );
  });

  it('the plan logs in to each registry, password on stdin only, and a push knows it is logged in', () => {
    const steps = makePlan({
      settings: settings({
        credentials: own,
        loginRegistry: 'ghcr.io',
        registryAuth: parseRegistryAuth(TWO.replace('ghcr.io', 'quay.io')).logins,
      }),
      engine: { buildx: true, serverVersion: '28.5.0' },
      references: ['ghcr.io/acme/app:main', 'quay.io/acme/app:main', 'registry.example/acme/app:main'],
      labels: {},
      jobDir: '/job',
      dockerConfig: '/job/docker-config',
      testContainer: 'c',
    });
    const logins = steps.flatMap((step) => (step.kind === 'login' ? [step] : []));
    expect(logins.map((step) => step.command.args)).toEqual([
      ['login', '--username', 'me', '--password-stdin', 'ghcr.io'],
      ['login', '--username', 'hub-user', '--password-stdin'],
      ['login', '--username', 'gh-user', '--password-stdin', 'quay.io'],
    ]);
    expect(logins.map((step) => step.command.stdin?.reveal())).toEqual(['own-pass', 'hub-p4ss', '0123']);
    expect(logins.every((step) => step.command.env?.DOCKER_CONFIG === '/job/docker-config')).toBe(true);
    expect(JSON.stringify(steps.map((step) => ('command' in step ? step.command.args : [])))).not.toMatch(
      /own-pass|hub-p4ss|0123/,
    );
    const pushes = steps.flatMap((step) => (step.kind === 'push' ? [[step.registry, step.loggedIn]] : []));
    expect(pushes).toEqual([
      ['ghcr.io', true],
      ['quay.io', true],
      ['registry.example', false],
    ]);
  });
});
