import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { auditDockerfile } from '../../src/audit/audit.js';

const EXAMPLE = path.resolve(import.meta.dirname, '..', '..', 'examples', 'python-app');

test('examples/python-app follows every rule', () => {
  const findings = auditDockerfile({
    file: path.join(EXAMPLE, 'Dockerfile'),
    text: readFileSync(path.join(EXAMPLE, 'Dockerfile'), 'utf8'),
    target: undefined,
    buildArgs: [],
    ignore: [],
    readContextFile: (relativePath) => readFileSync(path.join(EXAMPLE, relativePath), 'utf8'),
  });
  expect(findings).toEqual([]);
});

test('the example would be caught if its requirements drifted from pins', () => {
  const findings = auditDockerfile({
    file: 'Dockerfile',
    text: readFileSync(path.join(EXAMPLE, 'Dockerfile'), 'utf8'),
    target: undefined,
    buildArgs: ['PYTHON_IMAGE=python:3.12-alpine'],
    ignore: [],
    readContextFile: () => 'wheel\n',
  });
  expect(findings.map((finding) => [finding.rule, finding.line])).toEqual([
    ['alpine-python', 5],
    ['unpinned-pip', 13],
    ['alpine-python', 17],
  ]);
});
