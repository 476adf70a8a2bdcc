import { expandVariables } from '../../src/plan/dockerfile-expand.js';
import { parseImageRef } from '../../src/shared/image-reference.js';
import { osPackageCommand } from '../../src/audit/os-packages.js';
import { isPinned, pipInstall } from '../../src/audit/pip-command.js';
import { parseRequirements } from '../../src/audit/requirements.js';
import { shellCommands } from '../../src/audit/shell.js';

describe('shellCommands', () => {
  test.each([
    [
      'apt-get update && apt-get install -y x; rm -rf /a',
      [
        ['apt-get', 'update'],
        ['apt-get', 'install', '-y', 'x'],
        ['rm', '-rf', '/a'],
      ],
    ],
    [`pip install "flask>=2" 'a b' c\\ d`, [['pip', 'install', 'flask>=2', 'a b', 'c d']]],
    ['echo a | tee b || (true)', [['echo', 'a'], ['tee', 'b'], ['true']]],
    ['apt-get install x # not y', [['apt-get', 'install', 'x']]],
    ['["pip", "install", "x y"]', [['pip', 'install', 'x y']]],
  ])('%s', (code, commands) => {
    expect(shellCommands(code)).toEqual(commands);
  });
});

describe('pipInstall', () => {
  test('reads files, specifiers, local paths and options with values', () => {
    const words = shellCommands(
      'python3 -m pip install --no-cache-dir -i https://x/simple -r a.txt --requirement=b.txt -rc.txt -e . flask==3.0.3 ./lib',
    )[0];
    expect(pipInstall(words ?? [])).toEqual({
      requirementFiles: ['a.txt', 'b.txt', 'c.txt'],
      constrained: false,
      specifiers: ['flask==3.0.3'],
      localPaths: ['.', './lib'],
      noDeps: false,
      installs: true,
    });
  });

  test('pip wheel and pip download build or fetch without installing', () => {
    expect(pipInstall(['pip', 'wheel', '-w', '/wheels', '-r', 'r.txt'])?.installs).toBe(false);
    expect(pipInstall(['pip', 'download', 'flask==3.0.3'])?.installs).toBe(false);
  });

  test('is undefined for other commands', () => {
    expect(pipInstall(['pip', 'freeze'])).toBeUndefined();
    expect(pipInstall(['npm', 'install'])).toBeUndefined();
  });

  test.each([
    ['flask==3.0.3', true],
    ['flask[async]===3.0.3 ; python_version > "3.8"', true],
    ['app @ https://example.invalid/app.whl', true],
    ['flask', false],
    ['flask>=3', false],
    ['flask==3.*', false],
    ['flask~=3.0', false],
  ])('isPinned(%j) is %s', (specifier, pinned) => {
    expect(isPinned(specifier)).toBe(pinned);
  });
});

test('parseRequirements reports unpinned lines, includes and constraints', () => {
  const text = [
    '# top',
    'flask==3.0.3',
    'requests>=2  # comment',
    'numpy \\',
    '  --hash=sha256:1',
    '-r more.txt',
    '-e ./lib',
    'click',
  ].join('\n');
  expect(parseRequirements(text)).toEqual({
    unpinned: [
      { requirement: 'requests', line: 3 },
      { requirement: 'click', line: 8 },
    ],
    includes: ['more.txt'],
    constrained: false,
  });
});

describe('isPinned: a direct URL pins when it names a commit, a tag or a file, not a branch', () => {
  const REPO = 'https://github.com/acme/lib';
  const SHA = '0123456789abcdef0123456789abcdef01234567';
  test.each([
    [`${REPO}/archive/master.tar.gz`, false],
    [`${REPO}/archive/main.zip`, false],
    [`${REPO}/archive/refs/heads/release.zip`, false],
    [`${REPO}/archive/refs/heads/v2.zip`, false],
    [`git+${REPO}@main`, false],
    [`git+${REPO}.git`, false],
    [`git+${REPO}.git#egg=lib`, false],
    [`lib @ ${REPO}/archive/master.tar.gz`, false],
    [`lib[extra]@ git+${REPO}@develop ; python_version > "3"`, false],
    ['https://gitlab.com/acme/lib/-/archive/main/lib-main.tar.gz', false],
    ['https://example.com/downloads/main.zip', false],
    [`${REPO}/archive/v1.2.3.tar.gz`, true],
    [`${REPO}/archive/1.2.zip`, true],
    [`${REPO}/archive/${SHA}.zip`, true],
    [`${REPO}/archive/refs/tags/v1.2.3.tar.gz`, true],
    [`git+${REPO}@${SHA}`, true],
    [`git+${REPO}.git@v1.2.3#egg=lib`, true],
    [`git+ssh://git@github.com/acme/lib.git@${SHA.slice(0, 12)}`, true],
    [`lib @ ${REPO}/archive/${SHA}.tar.gz`, true],
    ['https://gitlab.com/acme/lib/-/archive/v1.0/lib-v1.0.tar.gz', true],
    ['https://files.example/packages/lib-1.0-py3-none-any.whl', true],
  ])('%s pinned: %s', (specifier, pinned) => {
    expect(isPinned(specifier)).toBe(pinned);
  });

  test('a URL on the command line is a requirement, not a local path', () => {
    const pip = pipInstall(
      shellCommands(`pip install ${REPO}/archive/master.tar.gz ./dist/app.whl`)[0] ?? [],
    );
    expect(pip?.specifiers).toEqual([`${REPO}/archive/master.tar.gz`]);
    expect(pip?.localPaths).toEqual(['./dist/app.whl']);
  });
});

describe('parseRequirements quotes no more of a line than a project name can be', () => {
  test.each([
    ['flask>=2', 'flask'],
    ['Flask_Login[extra] ; python_version > "3"', 'Flask_Login'],
    ['zope.interface~=6.0', 'zope.interface'],
    ['requests (>=2)', 'requests'],
    ['"auth": "Ym9iOnMzY3JldC10b2tlbi0xMjM0NTY="', undefined],
    ['auth: Ym9iOnMzY3JldC10b2tlbi0xMjM0NTY=', undefined],
    ['[credential]', undefined],
    ['name-', undefined],
    ['key=value', 'key'],
    [`${'a'.repeat(65)}>=1`, undefined],
    [`${'a'.repeat(64)}>=1`, 'a'.repeat(64)],
  ])('%s', (line, requirement) => {
    expect(parseRequirements(line).unpinned).toEqual([{ requirement, line: 1 }]);
  });
});

test('osPackageCommand reads installs, removals, recommends and apk virtual packages', () => {
  expect(
    osPackageCommand([
      'sudo',
      'apt-get',
      '-o',
      'APT::Install-Recommends=false',
      'install',
      '-y',
      'curl=8.0',
      'gcc-12',
    ]),
  ).toEqual({
    manager: 'apt',
    action: 'install',
    packages: ['curl', 'gcc-12'],
    noRecommends: true,
    virtual: undefined,
  });
  expect(osPackageCommand(['apk', 'add', '--virtual', '.deps', 'musl-dev'])).toMatchObject({
    virtual: '.deps',
    packages: ['musl-dev'],
  });
  expect(osPackageCommand(['apt-get', 'update'])).toBeUndefined();
});

test('expandVariables and parseImageRef', () => {
  const values = new Map([['V', '3.12']]);
  expect(expandVariables('python:${V}-slim $V ${NONE:-x$V} ${V:+y}', values)).toBe(
    'python:3.12-slim 3.12 x3.12 y',
  );
  expect(parseImageRef('localhost:5000/a/python:3.12@sha256:ab')).toEqual({
    name: 'localhost:5000/a/python',
    tag: '3.12',
    digest: 'sha256:ab',
  });
});
