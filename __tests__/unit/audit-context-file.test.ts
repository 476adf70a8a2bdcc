// The audit reads requirements files of the build context; a symbolic link out of the context, of
// the file or of a folder on its way, must read as no file (real links in a temporary folder).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { contextFileReader } from '../../src/audit/context-file.js';
import { auditDockerfile } from '../../src/audit/audit.js';

const SECRET = '"auth": "Ym9iOnMzY3JldC10b2tlbi0xMjM0NTY="';

const top = mkdtempSync(path.join(tmpdir(), 'audit-context-'));
const context = path.join(top, 'context');
const outside = path.join(top, 'home');

beforeAll(() => {
  mkdirSync(path.join(context, 'requirements'), { recursive: true });
  mkdirSync(path.join(outside, '.docker'), { recursive: true });
  writeFileSync(
    path.join(outside, '.docker', 'config.json'),
    `{\n  "auths": {\n    "ghcr.io": {\n      ${SECRET}\n    }\n  }\n}\n`,
  );
  writeFileSync(path.join(context, 'requirements', 'base.txt'), 'flask\n');
  // A file outside, a folder outside, a file inside (through a link that stays inside), a device.
  symlinkSync(path.join(outside, '.docker', 'config.json'), path.join(context, 'requirements.txt'));
  symlinkSync(path.join(outside, '.docker'), path.join(context, 'conf'));
  symlinkSync('requirements/base.txt', path.join(context, 'inside.txt'));
  symlinkSync('requirements', path.join(context, 'reqs'));
  symlinkSync('/dev/zero', path.join(context, 'zero.txt'));
  symlinkSync('..', path.join(context, 'up'));
});

afterAll(() => {
  rmSync(top, { recursive: true, force: true });
});

describe('contextFileReader', () => {
  test.each([
    ['a link to a file outside the context', 'requirements.txt'],
    ['a file under a link to a folder outside the context', 'conf/config.json'],
    ['a path through a link to the context’s parent', 'up/home/.docker/config.json'],
    ['a path that climbs out of the context', '../home/.docker/config.json'],
    ['an absolute path', path.join(outside, '.docker', 'config.json')],
    ['a link to a device', 'zero.txt'],
    ['a folder', 'requirements'],
    ['no such file', 'missing.txt'],
  ])('%s reads as no file', (_, relativePath) => {
    expect(contextFileReader(context)(relativePath)).toBeUndefined();
  });

  test.each([
    ['a regular file', 'requirements/base.txt'],
    ['a link to a file inside the context', 'inside.txt'],
    ['a file under a link to a folder inside the context', 'reqs/base.txt'],
  ])('%s is read', (_, relativePath) => {
    expect(contextFileReader(context)(relativePath)).toBe('flask\n');
  });

  test('a context given through a link of its own still reads its files', () => {
    const linked = path.join(top, 'linked-context');
    symlinkSync(context, linked);
    expect(contextFileReader(linked)('inside.txt')).toBe('flask\n');
    expect(contextFileReader(linked)('requirements.txt')).toBeUndefined();
  });
});

test('the audit of `pip install -r requirements.txt` never quotes a file outside the context', () => {
  const findings = auditDockerfile({
    file: path.join(context, 'Dockerfile'),
    text: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt conf/config.json\n',
    target: undefined,
    buildArgs: [],
    ignore: [],
    readContextFile: contextFileReader(context),
  });
  const text = JSON.stringify(findings);
  expect(text).not.toContain('Ym9i');
  expect(text).not.toContain('auth');
});

test('a line of a requirements file in the context that is no project name is shown by its place only', () => {
  writeFileSync(path.join(context, 'requirements', 'odd.txt'), `flask==3.0.3\n${SECRET}\n`);
  const findings = auditDockerfile({
    file: path.join(context, 'Dockerfile'),
    text: 'FROM python:3.12-slim\nRUN pip install -r requirements/odd.txt\n',
    target: undefined,
    buildArgs: [],
    ignore: [],
    readContextFile: contextFileReader(context),
  });
  const pip = findings.find((finding) => finding.rule === 'unpinned-pip');
  expect(pip?.message).toContain('without a pinned version: requirements/odd.txt:2.');
  expect(JSON.stringify(findings)).not.toContain('Ym9i');
});
