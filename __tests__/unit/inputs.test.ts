import { readFileSync } from 'node:fs';
import { format, inspect } from 'node:util';
import { parse } from 'yaml';
import { InputError } from '../../src/shared/errors.js';
import { parseInputs } from '../../src/inputs/parse-inputs.js';
import { INPUT_NAMES, type RawInputs } from '../../src/inputs/input-names.js';
import { Secret } from '../../src/shared/secret.js';

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: Record<string, string>;
};

/** The raw inputs the runner gives when the workflow sets only `overrides` (action.yml's defaults). */
function raw(overrides: Partial<RawInputs> = {}): RawInputs {
  const defaults = Object.fromEntries(INPUT_NAMES.map((name) => [name, action.inputs[name]?.default ?? '']));
  return { ...(defaults as RawInputs), image: 'ghcr.io/acme/app', ...overrides };
}

const WS = '/home/runner/work/app/app';

describe('parseInputs', () => {
  it('action.yml declares exactly the inputs parseInputs reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
    expect(action.inputs.image?.required).toBe(true);
  });

  it('README documents every input in its inputs tables, and docs/migrate-from-build-push-action.md every build-push-action input we share', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const inputs = readme.slice(readme.indexOf('## Inputs'), readme.indexOf('## Outputs'));
    const documented = new Set(
      [...inputs.matchAll(/^\| ([^|]+) \|/gm)].flatMap((row) =>
        [...(row[1] ?? '').matchAll(/`([a-z-]+)`/g)].map((m) => m[1]),
      ),
    );
    expect(INPUT_NAMES.filter((name) => !documented.has(name))).toEqual([]);
    const migration = readFileSync(
      new URL('../../docs/migrate-from-build-push-action.md', import.meta.url),
      'utf8',
    );
    for (const name of [
      'secrets',
      'secret-files',
      'secret-envs',
      'ssh',
      'no-cache',
      'no-cache-filters',
      'pull',
      'build-contexts',
      'network',
      'add-hosts',
      'shm-size',
      'ulimit',
      'provenance',
      'sbom',
      'annotations',
    ]) {
      expect(migration).toMatch(new RegExp(`^\\| \`${name}\` +\\| \`${name}\``, 'm'));
    }
  });

  it('action.yml runs main on node24, and the post step only when main may have left something', () => {
    // Main removes its own files when it ends; only a killed main (failure or cancel) needs the post step.
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/index.js',
      'post-if': 'failure() || cancelled()',
    });
  });

  it("action.yml's defaults", () => {
    expect(parseInputs(raw(), WS)).toEqual({
      settings: {
        images: ['ghcr.io/acme/app'],
        loginRegistry: 'ghcr.io',
        credentials: undefined,
        registryAuth: [],
        loginsWithoutPassword: [],
        tagTemplates: ['{ref}'],
        semver: true,
        latest: 'auto',
        labels: {},
        testCommand: undefined,
        testInImage: undefined,
        workingDirectory: WS,
        context: WS,
        file: `${WS}/Dockerfile`,
        buildArgs: [],
        cache: true,
        cacheFrom: [],
        cacheTo: [],
        builder: undefined,
        platforms: [],
        reproducible: true,
        push: true,
        pushForks: false,
        // The runner puts the job's token here; the test passes the expression as written.
        githubToken: expect.any(Secret) as Secret,
        dryRun: false,
        retries: 3,
        pushTimeoutSeconds: 600,
        onCollision: 'fail',
        rebuild: 'always',
        target: undefined,
        secrets: [],
        ssh: [],
        noCache: false,
        noCacheFilters: [],
        pull: false,
        buildContexts: [],
        network: undefined,
        addHosts: [],
        shmSize: undefined,
        ulimits: [],
        provenance: undefined,
        sbom: undefined,
        annotations: [],
        exports: [],
        call: undefined,
        audit: 'warn',
        auditIgnore: [],
        summary: true,
      },
      notices: [],
    });
  });

  it.each([
    ['image missing', { image: '' }, 'image', 'is required'],
    ['image only comments', { image: '# none\n\n' }, 'image', 'is required'],
    ['image with a tag', { image: 'acme/app:1.0' }, 'image', 'includes a tag'],
    ['image with a digest', { image: 'acme/app@sha256:00' }, 'image', 'names a digest'],
    ['image invalid', { image: 'Acme/-app' }, 'image', '"-app" may hold only'],
    ['second image invalid', { image: 'acme/app\na//b' }, 'image', 'is not a valid repository'],
    ['password without username', { password: 's3cret' }, 'username', 'is empty but `password` is set'],
    ['blank username with password', { username: '  ', password: 's3cret' }, 'username', 'is empty'],
    ['push not a boolean', { push: 'yes' }, 'push', '"yes" is not a boolean; use true or false'],
    ['dry-run not a boolean', { 'dry-run': '1' }, 'dry-run', '"1" is not a boolean'],
    ['summary not a boolean', { summary: 'no' }, 'summary', '"no" is not a boolean'],
    ['reproducible not a boolean', { reproducible: 'always' }, 'reproducible', '"always" is not a boolean'],
    ['build-args without =', { 'build-args': 'FOO' }, 'build-args', 'line "FOO" is not KEY=VALUE'],
    ['build-args bad key', { 'build-args': 'A=1\n1X=2' }, 'build-args', 'line "1X=2" is not KEY=VALUE'],
    ['build-args empty key', { 'build-args': '=value' }, 'build-args', 'line "=value"'],
    ['build-args key with a space', { 'build-args': 'KEY =v' }, 'build-args', 'line "KEY =v"'],
    ['registry with a scheme', { registry: 'https://ghcr.io' }, 'registry', 'is not a host[:port]'],
    ['registry with a path', { registry: 'ghcr.io/acme' }, 'registry', 'is not a host[:port]'],
    ['registry invalid', { registry: 'ghcr..io' }, 'registry', 'is not a valid registry host'],
    ['retries negative', { retries: '-1' }, 'retries', '"-1" is not a whole number from 0 to 10'],
    ['retries too many', { retries: '11' }, 'retries', '"11" is not a whole number from 0 to 10'],
    ['retries a fraction', { retries: '1.5' }, 'retries', 'is not a whole number'],
    ['push-timeout zero', { 'push-timeout': '0' }, 'push-timeout', '"0" is not a whole number of seconds'],
    ['push-timeout with a unit', { 'push-timeout': '10s' }, 'push-timeout', 'is not a whole number'],
    [
      'on-collision unknown',
      { 'on-collision': 'ignore' },
      'on-collision',
      'is not one of fail, warn, overwrite',
    ],
    ['rebuild unknown', { rebuild: 'never' }, 'rebuild', '"never" is not one of always, base-changed'],
    [
      'test-in-image exec form without a comma',
      { 'test-in-image': '["python" "--version"]' },
      'test-in-image',
      'starts like the exec form but is not a JSON array of strings',
    ],
    ['test-in-image empty array', { 'test-in-image': '[]' }, 'test-in-image', 'not a non-empty array'],
    [
      'test-in-image-env without =',
      { 'test-in-image': 'true', 'test-in-image-env': 'DEBUG' },
      'test-in-image-env',
      'line "DEBUG" is not KEY=VALUE',
    ],
    [
      'test-in-image-env bad key, even without test-in-image',
      { 'test-in-image-env': 'A-B=1' },
      'test-in-image-env',
      'line "A-B=1" is not KEY=VALUE',
    ],
  ] as const)('%s → InputError naming `%s`', (_label, overrides, input, message) => {
    const attempt = () => parseInputs(raw(overrides), WS);
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(`Input \`${input}\`: `);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as InputError).input).toBe(input);
    }
  });

  it.each([
    ['CRLF and spaces', { tag: ' {ref} \r\n  {short-sha}\r\n' }, 'tagTemplates', ['{ref}', '{short-sha}']],
    [
      'comments and empty lines',
      { tag: '# main tag\n{ref}\n\n# sha\nsha-{short-sha}' },
      'tagTemplates',
      ['{ref}', 'sha-{short-sha}'],
    ],
    ['tag only comments: default', { tag: '# nothing\n' }, 'tagTemplates', ['{ref}']],
    ['tag empty: default', { tag: '' }, 'tagTemplates', ['{ref}']],
    [
      'build args with = in values',
      { 'build-args': 'A=1\r\n # c\n  URL=https://x?a=b=c \nEMPTY=' },
      'buildArgs',
      ['A=1', 'URL=https://x?a=b=c', 'EMPTY='],
    ],
    [
      'several images',
      { image: 'ghcr.io/acme/app\r\n# mirror\n docker.io/acme/app \n' },
      'images',
      ['ghcr.io/acme/app', 'docker.io/acme/app'],
    ],
    ['duplicate images collapsed', { image: 'acme/app\nACME/app' }, 'images', ['acme/app']],
    [
      'registry prefixes image without host',
      { registry: 'GHCR.io', image: 'acme/app' },
      'images',
      ['ghcr.io/acme/app'],
    ],
    [
      'registry keeps image host',
      { registry: 'ghcr.io', image: 'quay.io/acme/app' },
      'images',
      ['quay.io/acme/app'],
    ],
    ['login: registry input', { registry: 'ghcr.io', image: 'quay.io/acme/app' }, 'loginRegistry', 'ghcr.io'],
    ['login: image host', { image: 'localhost:5000/team/app' }, 'loginRegistry', 'localhost:5000'],
    ['login: Docker Hub', { image: 'acme/app' }, 'loginRegistry', undefined],
    ['login: first image', { image: 'acme/app\nghcr.io/acme/app' }, 'loginRegistry', undefined],
    ['push false', { push: 'false' }, 'push', false],
    ['push False with spaces', { push: ' False ' }, 'push', false],
    ['push empty: true', { push: '' }, 'push', true],
    ['dry-run TRUE', { 'dry-run': 'TRUE' }, 'dryRun', true],
    ['retries 0', { retries: '0' }, 'retries', 0],
    ['retries with spaces', { retries: ' 5 \r\n' }, 'retries', 5],
    ['retries empty', { retries: '' }, 'retries', 3],
    ['push-timeout', { 'push-timeout': '30' }, 'pushTimeoutSeconds', 30],
    ['on-collision WARN', { 'on-collision': ' WARN ' }, 'onCollision', 'warn'],
    ['on-collision overwrite', { 'on-collision': 'overwrite' }, 'onCollision', 'overwrite'],
    ['rebuild base-changed', { rebuild: ' Base-Changed ' }, 'rebuild', 'base-changed'],
    ['rebuild empty: always', { rebuild: '' }, 'rebuild', 'always'],
    ['summary false', { summary: 'false' }, 'summary', false],
    ['summary empty: true', { summary: '' }, 'summary', true],
    [
      'test command kept as written',
      { 'test-command': 'npm ci\nnpm test\n' },
      'testCommand',
      'npm ci\nnpm test\n',
    ],
    ['blank test command: none', { 'test-command': '  \n' }, 'testCommand', undefined],
    ['no test-in-image', { 'test-in-image': ' \n' }, 'testInImage', undefined],
    [
      'test-in-image: shell code as written, PYTHONFAULTHANDLER=1 by default',
      { 'test-in-image': 'python -m app --version\n' },
      'testInImage',
      { command: { form: 'shell', script: 'python -m app --version\n' }, env: ['PYTHONFAULTHANDLER=1'] },
    ],
    [
      'test-in-image: exec form',
      { 'test-in-image': ' ["/app/server", "--version"] ' },
      'testInImage',
      { command: { form: 'exec', argv: ['/app/server', '--version'] }, env: ['PYTHONFAULTHANDLER=1'] },
    ],
    [
      'test-in-image-env: added after the default, values keep = and spaces',
      { 'test-in-image': 'true', 'test-in-image-env': 'APP_MODE=smoke\r\n# comment\nDSN=a=b c' },
      'testInImage',
      {
        command: { form: 'shell', script: 'true' },
        env: ['PYTHONFAULTHANDLER=1', 'APP_MODE=smoke', 'DSN=a=b c'],
      },
    ],
    [
      'test-in-image-env: overrides the default, may empty it',
      { 'test-in-image': 'true', 'test-in-image-env': 'PYTHONFAULTHANDLER=' },
      'testInImage',
      { command: { form: 'shell', script: 'true' }, env: ['PYTHONFAULTHANDLER='] },
    ],
  ] as const)('%s', (_label, overrides, key, expected) => {
    expect(parseInputs(raw(overrides), WS).settings[key]).toEqual(expected);
  });

  it.each([
    ['defaults', {}, [WS, WS, `${WS}/Dockerfile`]],
    [
      'working-directory',
      { 'working-directory': 'services/api' },
      [`${WS}/services/api`, `${WS}/services/api`, `${WS}/services/api/Dockerfile`],
    ],
    [
      'context relative to it',
      { 'working-directory': 'svc', context: 'docker' },
      [`${WS}/svc`, `${WS}/svc/docker`, `${WS}/svc/docker/Dockerfile`],
    ],
    [
      'file relative to working-directory',
      { 'working-directory': 'svc', context: 'ctx', file: 'build/Dockerfile.prod' },
      [`${WS}/svc`, `${WS}/svc/ctx`, `${WS}/svc/build/Dockerfile.prod`],
    ],
    [
      'absolute paths kept',
      { 'working-directory': '/abs', context: '/ctx', file: '/f/Dockerfile' },
      ['/abs', '/ctx', '/f/Dockerfile'],
    ],
    [
      '.. resolved',
      { 'working-directory': 'a/../b', context: '../c' },
      [`${WS}/b`, `${WS}/c`, `${WS}/c/Dockerfile`],
    ],
    ['a context named -', { context: '-' }, [WS, `${WS}/-`, `${WS}/-/Dockerfile`]],
  ] as const)('paths: %s', (_label, overrides, [workingDirectory, context, file]) => {
    expect(parseInputs(raw(overrides), WS).settings).toMatchObject({ workingDirectory, context, file });
  });

  it.each([
    [
      'GHCR.io/Acme/App',
      [`Image "GHCR.io/Acme/App" was lower-cased to "ghcr.io/acme/app" (Docker requires lower case).`],
    ],
    ['ghcr.io/acme/app', []],
  ])('lower-case notice for %j', (image, notices) => {
    expect(parseInputs(raw({ image }), WS).notices).toEqual(notices);
  });

  it('test-in-image-env without test-in-image is ignored, with a notice', () => {
    const parsed = parseInputs(raw({ 'test-in-image-env': 'A=1' }), WS);
    expect(parsed.settings.testInImage).toBeUndefined();
    expect(parsed.notices).toEqual(['`test-in-image-env` is ignored: `test-in-image` is empty.']);
  });

  describe('the password', () => {
    const password = 'pa55-w0rd "with" spaces ';
    const parsed = parseInputs(raw({ username: ' me ', password }), WS);

    it('is a Secret that reveals the value as given (not trimmed); the username is trimmed', () => {
      expect(parsed.settings.credentials?.username).toBe('me');
      expect(parsed.settings.credentials?.password).toBeInstanceOf(Secret);
      expect(parsed.settings.credentials?.password.reveal()).toBe(password);
    });

    it.each([
      ['String()', () => String(parsed.settings.credentials?.password)],
      ['toString()', () => parsed.settings.credentials?.password.toString() ?? ''],
      ['util.format %s %o', () => format('%s %o', parsed.settings.credentials?.password, parsed)],
      ['JSON.stringify', () => JSON.stringify(parsed)],
      ['util.inspect', () => inspect(parsed, { depth: 10, showHidden: true })],
    ])('never shows through %s', (_label, render) => {
      const text = render();
      expect(text).not.toContain('pa55');
      expect(text).toContain('***');
    });
  });
});
