import { audit, dockerfile, ruleLines } from '../../__fixtures__/audit.js';
import type { RuleId } from '../../src/inputs/audit-inputs.js';

/** A Dockerfile that follows every rule; each case below breaks exactly one thing. */
const GOOD_TAIL = ['ENV PYTHONFAULTHANDLER=1', 'USER app'];

interface Case {
  rule: RuleId;
  name: string;
  bad: string;
  line: number;
  good: string;
  files?: Record<string, string>;
}

const cases: Case[] = [
  {
    rule: 'root-user',
    name: 'no USER',
    bad: dockerfile('FROM python:3.12-slim', 'ENV PYTHONFAULTHANDLER=1'),
    line: 1,
    good: dockerfile('FROM python:3.12-slim', ...GOOD_TAIL),
  },
  {
    rule: 'root-user',
    name: 'USER root last',
    bad: dockerfile('FROM python:3.12-slim', 'ENV PYTHONFAULTHANDLER=1', 'USER app', 'RUN true', 'USER root'),
    line: 5,
    good: dockerfile(
      'FROM python:3.12-slim',
      'ENV PYTHONFAULTHANDLER=1',
      'USER root',
      'RUN true',
      'USER app',
    ),
  },
  {
    rule: 'root-user',
    name: 'USER 0:0',
    bad: dockerfile('FROM python:3.12-slim', 'ENV PYTHONFAULTHANDLER=1', 'USER 0:0'),
    line: 3,
    good: dockerfile('FROM python:3.12-slim', 'ENV PYTHONFAULTHANDLER=1', 'USER 10001:10001'),
  },
  {
    rule: 'unpinned-base',
    name: 'no tag',
    bad: dockerfile('FROM python', ...GOOD_TAIL),
    line: 1,
    good: dockerfile('FROM python:3.12-slim-bookworm', ...GOOD_TAIL),
  },
  {
    rule: 'unpinned-base',
    name: 'latest',
    bad: dockerfile('FROM python:latest', ...GOOD_TAIL),
    line: 1,
    good: dockerfile(`FROM python:latest@sha256:${'a'.repeat(64)}`, ...GOOD_TAIL),
  },
  {
    rule: 'unpinned-base',
    name: 'registry with a port, no tag',
    bad: dockerfile('FROM localhost:5000/team/python', ...GOOD_TAIL),
    line: 1,
    good: dockerfile('FROM localhost:5000/team/python:3.12', ...GOOD_TAIL),
  },
  {
    rule: 'alpine-python',
    name: 'python alpine tag',
    bad: dockerfile('FROM python:3.12-alpine', ...GOOD_TAIL),
    line: 1,
    good: dockerfile('FROM python:3.12-slim', ...GOOD_TAIL),
  },
  {
    rule: 'alpine-python',
    name: 'alpine that installs python',
    bad: dockerfile('FROM alpine:3.20', 'RUN apk add --no-cache python3', ...GOOD_TAIL),
    line: 1,
    good: dockerfile(
      'FROM debian:bookworm-slim',
      'RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*',
      ...GOOD_TAIL,
    ),
  },
  {
    rule: 'no-faulthandler',
    name: 'python base',
    bad: dockerfile('FROM python:3.12-slim', 'USER app'),
    line: 1,
    good: dockerfile('FROM python:3.12-slim', 'ENV PYTHONFAULTHANDLER 1', 'USER app'),
  },
  {
    rule: 'no-faulthandler',
    name: 'stage that installs python',
    bad: dockerfile(
      'FROM debian:bookworm-slim',
      'RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*',
      'USER app',
    ),
    line: 1,
    good: dockerfile(
      'FROM debian:bookworm-slim',
      'RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*',
      'ENV LANG=C.UTF-8 PYTHONFAULTHANDLER=1',
      'USER app',
    ),
  },
  {
    rule: 'copy-before-install',
    name: 'COPY . . then pip install -r',
    bad: dockerfile(
      'FROM python:3.12-slim',
      'WORKDIR /app',
      'COPY . .',
      'RUN pip install -r requirements.txt',
      ...GOOD_TAIL,
    ),
    line: 3,
    good: dockerfile(
      'FROM python:3.12-slim',
      'WORKDIR /app',
      'COPY requirements.txt .',
      'RUN pip install -r requirements.txt',
      'COPY . .',
      ...GOOD_TAIL,
    ),
    files: { 'requirements.txt': 'flask==3.0.3\n' },
  },
  {
    rule: 'copy-before-install',
    name: 'ADD . then pip install .',
    bad: dockerfile('FROM python:3.12-slim', 'ADD . /src', 'RUN pip install /src', ...GOOD_TAIL),
    line: 2,
    good: dockerfile(
      'FROM python:3.12-slim',
      'COPY requirements.txt /src/',
      'RUN pip install -r /src/requirements.txt',
      'ADD . /src',
      'RUN pip install /src',
      ...GOOD_TAIL,
    ),
    files: { 'requirements.txt': 'flask==3.0.3\n' },
  },
  {
    rule: 'unpinned-pip',
    name: 'package named without a version',
    bad: dockerfile(
      'FROM python:3.12-slim',
      'RUN pip install --no-cache-dir flask==3.0.3 "gunicorn>=22"',
      ...GOOD_TAIL,
    ),
    line: 2,
    good: dockerfile(
      'FROM python:3.12-slim',
      'RUN pip install --no-cache-dir flask==3.0.3 "gunicorn==22.0.0"',
      ...GOOD_TAIL,
    ),
  },
  {
    rule: 'unpinned-pip',
    name: 'requirements file that pins nothing',
    bad: dockerfile(
      'FROM python:3.12-slim',
      'COPY requirements.txt .',
      'RUN python -m pip install -r requirements.txt',
      ...GOOD_TAIL,
    ),
    line: 3,
    good: dockerfile(
      'FROM python:3.12-slim',
      'COPY requirements.lock .',
      'RUN python -m pip install -r requirements.lock',
      ...GOOD_TAIL,
    ),
    files: {
      'requirements.txt': 'flask\nrequests\n',
      'requirements.lock': 'flask==3.0.3 \\\n    --hash=sha256:abc\nrequests==2.32.3  # via flask\n',
    },
  },
  {
    rule: 'build-tools-in-final',
    name: 'gcc and -dev packages in a single stage',
    bad: dockerfile(
      'FROM python:3.12-slim',
      'RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*',
      ...GOOD_TAIL,
    ),
    line: 2,
    good: dockerfile(
      'FROM python:3.12-slim',
      'RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*',
      ...GOOD_TAIL,
    ),
  },
  {
    rule: 'build-tools-in-final',
    name: 'removed again in the same RUN',
    bad: dockerfile(
      'FROM python:3.12-slim',
      'RUN apk add --virtual .build gcc musl-dev && pip install cffi==1.17.1',
      ...GOOD_TAIL,
    ),
    line: 2,
    good: dockerfile(
      'FROM python:3.12-slim',
      'RUN apk add --virtual .build gcc musl-dev && pip install cffi==1.17.1 && apk del .build',
      ...GOOD_TAIL,
    ),
  },
  {
    rule: 'apt-recommends',
    name: 'apt-get install without --no-install-recommends',
    bad: dockerfile(
      'FROM python:3.12-slim',
      'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
      ...GOOD_TAIL,
    ),
    line: 2,
    good: dockerfile(
      'FROM python:3.12-slim',
      'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
      ...GOOD_TAIL,
    ),
  },
  {
    rule: 'apt-lists',
    name: 'apt lists left in the layer',
    bad: dockerfile(
      'FROM python:3.12-slim',
      'RUN apt-get update && apt-get install -y --no-install-recommends curl',
      ...GOOD_TAIL,
    ),
    line: 2,
    good: dockerfile(
      'FROM python:3.12-slim',
      'RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl',
      ...GOOD_TAIL,
    ),
  },
];

describe.each(cases)('$rule: $name', ({ rule, bad, line, good, files }) => {
  test(`triggers on line ${line} and nothing else`, () => {
    expect(ruleLines(audit(bad, { files }))).toEqual([[rule, line]]);
  });
  test('the corrected Dockerfile is clean', () => {
    expect(audit(good, { files })).toEqual([]);
  });
});

test('a finding names the file and says how to fix it', () => {
  const [finding] = audit(dockerfile('FROM python', ...GOOD_TAIL), { file: '/repo/app/Dockerfile' });
  expect(finding).toEqual({
    rule: 'unpinned-base',
    file: '/repo/app/Dockerfile',
    line: 1,
    message: expect.stringContaining('pin a version tag') as unknown,
    markdown: expect.stringContaining('pin a version tag') as unknown,
  });
});
