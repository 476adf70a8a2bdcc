import { audit, dockerfile, ruleLines } from '../../__fixtures__/audit.js';

/**
 * Patterns common in real projects' Dockerfiles (issue 20): each case is a minimal Dockerfile of
 * one pattern with the findings it must give; the near-misses next to it must stay silent or keep
 * their finding.
 */
const TAIL = ['ENV PYTHONFAULTHANDLER=1', 'USER app'];
const PINNED = { 'requirements.txt': 'flask==3.0.3\n' };

interface Case {
  name: string;
  text: string;
  expected: [string, number][];
  files?: Record<string, string>;
  target?: string;
  buildArgs?: string[];
  targetPlatform?: string;
  /** Words the first finding's message must contain. */
  message?: string[];
}

const cases: Case[] = [
  // False alarms
  {
    name: 'cache mount with a quoted target keeps apt lists out of the layer',
    text: dockerfile(
      'FROM python:3.12-slim',
      'RUN --mount=type=cache,target="/var/lib/apt/lists",sharing=locked apt-get update && apt-get install -y --no-install-recommends curl',
      ...TAIL,
    ),
    expected: [],
  },
  {
    name: 'near-miss: a cache mount on /var/cache/apt alone leaves the lists',
    text: dockerfile(
      'FROM python:3.12-slim',
      "RUN --mount=type=cache,target='/var/cache/apt' apt-get update && apt-get install -y --no-install-recommends curl",
      ...TAIL,
    ),
    expected: [['apt-lists', 2]],
  },
  {
    name: "uv's two-step install: dependencies before the copy, the project after",
    text: dockerfile(
      'FROM python:3.12-slim',
      'COPY pyproject.toml uv.lock ./',
      'RUN uv sync --frozen --no-install-project',
      'COPY . .',
      'RUN uv sync --frozen',
      ...TAIL,
    ),
    expected: [],
  },
  {
    name: 'uv sync only after the copy: the finding names its files and the two-step fix',
    text: dockerfile('FROM python:3.12-slim', 'COPY . .', 'RUN uv sync --frozen', ...TAIL),
    expected: [['copy-before-install', 2]],
    message: ['`pyproject.toml` and `uv.lock`', '`uv sync --frozen --no-install-project`'],
  },
  {
    name: 'poetry install --no-root before the copy, poetry install after',
    text: dockerfile(
      'FROM python:3.12-slim',
      'COPY pyproject.toml poetry.lock ./',
      'RUN poetry install --no-root --only main',
      'COPY . .',
      'RUN poetry install --only-root',
      ...TAIL,
    ),
    expected: [],
  },
  {
    name: 'pip install --no-deps . after the requirements',
    text: dockerfile(
      'FROM python:3.12-slim',
      'COPY requirements.txt .',
      'RUN pip install -r requirements.txt',
      'COPY . .',
      'RUN pip install --no-deps .',
      ...TAIL,
    ),
    files: PINNED,
    expected: [],
  },
  {
    name: 'dependencies installed in the stage this one starts FROM',
    text: dockerfile(
      'FROM python:3.12-slim AS base',
      'COPY requirements.txt .',
      'RUN pip install -r requirements.txt',
      'FROM base',
      'COPY . /src',
      'RUN pip install -e /src',
      ...TAIL,
    ),
    files: PINNED,
    expected: [],
  },
  {
    name: "dependencies copied from a builder's virtualenv before the project install",
    text: dockerfile(
      'FROM python:3.12-slim AS builder',
      'COPY pyproject.toml uv.lock ./',
      'RUN uv sync --frozen',
      'FROM python:3.12-slim',
      'COPY . .',
      'COPY --from=builder /app/.venv .venv',
      'RUN uv sync --frozen',
      ...TAIL,
    ),
    expected: [],
  },
  {
    name: 'the fix names the install that reads the project, not the pip upgrade before it',
    text: dockerfile(
      'FROM python:3.12-slim',
      'ADD . /src/',
      'RUN pip install --upgrade pip==24.3.1 && pip install --editable "/src[server]"',
      ...TAIL,
    ),
    expected: [['copy-before-install', 2]],
    message: ['`pyproject.toml`'],
  },
  {
    name: 'near-miss: tools installed before the copy are not the project dependencies',
    text: dockerfile(
      'FROM python:3.12-slim',
      'RUN pip install uv==0.5.0',
      'COPY . .',
      'RUN uv sync --frozen',
      ...TAIL,
    ),
    expected: [['copy-before-install', 3]],
  },
  {
    name: 'a stage the final stage never uses is not audited',
    text: dockerfile('FROM python AS docs', 'RUN pip install sphinx', 'FROM python:3.12-slim', ...TAIL),
    expected: [],
  },
  {
    name: 'near-miss: a stage copied from is audited',
    text: dockerfile(
      'FROM python AS docs',
      'RUN pip install sphinx',
      'FROM python:3.12-slim',
      'COPY --from=docs /site /site',
      ...TAIL,
    ),
    expected: [
      ['unpinned-base', 1],
      ['unpinned-pip', 2],
    ],
  },
  {
    name: 'near-miss: stages named by index and by RUN --mount=from are audited',
    text: dockerfile(
      'FROM python AS wheels',
      'FROM python AS tools',
      'FROM python:3.12-slim',
      'COPY --from=0 /wheels /wheels',
      'RUN --mount=type=bind,from=tools,source=/bin,target=/tools true',
      ...TAIL,
    ),
    expected: [
      ['unpinned-base', 1],
      ['unpinned-base', 2],
    ],
  },
  {
    name: 'FROM a stage named with $TARGETARCH is that stage, not an image',
    text: dockerfile(
      'FROM python:3.12-slim AS deps-amd64',
      'FROM python:3.12-slim AS deps-arm64',
      'RUN pip install flask',
      'FROM deps-$TARGETARCH',
      ...TAIL,
    ),
    expected: [],
  },
  {
    name: 'near-miss: built for arm64, the arm64 stage is the one audited',
    text: dockerfile(
      'FROM python:3.12-slim AS deps-amd64',
      'FROM python:3.12-slim AS deps-arm64',
      'RUN pip install flask',
      'FROM deps-${TARGETARCH}',
      ...TAIL,
    ),
    targetPlatform: 'linux/arm64',
    expected: [['unpinned-pip', 3]],
  },
  {
    name: 'apt lists and recommends in a builder stage never reach the image',
    text: dockerfile(
      'FROM python:3.12-slim AS build',
      'RUN apt-get update && apt-get install -y gcc',
      'FROM python:3.12-slim',
      'COPY --from=build /wheels /wheels',
      ...TAIL,
    ),
    expected: [],
  },
  {
    name: 'near-miss: in a stage the final one starts FROM they do',
    text: dockerfile(
      'FROM python:3.12-slim AS base',
      'RUN apt-get update && apt-get install -y curl',
      'FROM base',
      ...TAIL,
    ),
    expected: [
      ['apt-lists', 2],
      ['apt-recommends', 2],
    ],
  },
  // Misses
  {
    name: 'a comment line inside a continued RUN does not end the command',
    text: dockerfile(
      'FROM python:3.12-slim',
      'RUN apt-get update && apt-get install -y --no-install-recommends \\',
      '    # pillow',
      '    libjpeg-dev \\',
      '    && rm -rf /var/lib/apt/lists/*',
      ...TAIL,
    ),
    expected: [['build-tools-in-final', 2]],
    message: ['libjpeg-dev'],
  },
  {
    name: 'USER $UID with ARG UID=0 runs as root',
    text: dockerfile('FROM python:3.12-slim', 'ENV PYTHONFAULTHANDLER=1', 'ARG UID=0', 'USER $UID'),
    expected: [['root-user', 4]],
    message: ['`USER $UID` (`0` by default)'],
  },
  {
    name: 'near-miss: USER ${UID} with ARG UID=1000',
    text: dockerfile('FROM python:3.12-slim', 'ENV PYTHONFAULTHANDLER=1', 'ARG UID=1000', 'USER ${UID}'),
    expected: [],
  },
  {
    name: 'near-miss: a build-arg overrides the root default',
    text: dockerfile('FROM python:3.12-slim', 'ENV PYTHONFAULTHANDLER=1', 'ARG UID=0', 'USER $UID:$UID'),
    buildArgs: ['UID=1000'],
    expected: [],
  },
  {
    name: 'near-miss: an ARG without a value cannot be known',
    text: dockerfile('FROM python:3.12-slim', 'ENV PYTHONFAULTHANDLER=1', 'ARG UID', 'USER $UID'),
    expected: [],
  },
  {
    name: "a global option's value is not the subcommand: yarn --network-timeout 600000",
    text: dockerfile(
      'FROM node:20-slim',
      'COPY . .',
      'RUN yarn --network-timeout 600000 --frozen-lockfile',
      'USER node',
    ),
    expected: [['copy-before-install', 2]],
    message: ['`package.json` and `yarn.lock`'],
  },
  {
    name: 'near-miss: yarn --cwd web build installs nothing',
    text: dockerfile('FROM node:20-slim', 'COPY . .', 'RUN yarn --cwd web build', 'USER node'),
    expected: [],
  },
  {
    name: 'pip inside sh -c "..."',
    text: dockerfile(
      'FROM python:3.12-slim',
      'COPY requirements requirements',
      'RUN sh -c "pip install --no-cache-dir -r requirements/production.txt"',
      ...TAIL,
    ),
    files: { 'requirements/production.txt': 'django\n' },
    expected: [['unpinned-pip', 3]],
  },
  {
    name: 'near-miss: bash -o pipefail -c with a pinned file',
    text: dockerfile(
      'FROM python:3.12-slim',
      'COPY requirements requirements',
      "RUN bash -o pipefail -c 'pip install -r requirements/production.txt'",
      ...TAIL,
    ),
    files: { 'requirements/production.txt': 'django==5.1.4\n' },
    expected: [],
  },
  {
    name: 'a second apt-get install after the lists are removed leaves them again',
    text: dockerfile(
      'FROM python:3.12-slim',
      'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \\',
      '    && apt-get update && apt-get install -y --no-install-recommends git',
      ...TAIL,
    ),
    expected: [['apt-lists', 2]],
    message: ['after the last install'],
  },
  {
    name: 'near-miss: the lists removed after the last install',
    text: dockerfile(
      'FROM python:3.12-slim',
      'RUN apt-get update && apt-get install -y --no-install-recommends curl \\',
      '    && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*',
      ...TAIL,
    ),
    expected: [],
  },
  {
    name: 'apt-get distclean removes the lists too',
    text: dockerfile(
      'FROM python:3.12-slim-trixie',
      'RUN apt-get update && apt-get install -y --no-install-recommends gettext && apt-get distclean',
      ...TAIL,
    ),
    expected: [],
  },
  {
    name: 'near-miss: apt-get clean keeps the lists',
    text: dockerfile(
      'FROM python:3.12-slim-trixie',
      'RUN apt-get update && apt-get install -y --no-install-recommends gettext && apt-get clean',
      ...TAIL,
    ),
    expected: [['apt-lists', 2]],
  },
  {
    name: 'an absolute -r path is also looked up from the top of the context',
    text: dockerfile(
      'FROM python:3.12-slim',
      'COPY requirements/ /requirements/',
      'RUN pip install -r /requirements/production.txt',
      ...TAIL,
    ),
    files: { 'requirements/production.txt': 'uwsgi>=2.0\n' },
    expected: [['unpinned-pip', 3]],
  },
  // Messages
  {
    name: 'a long list of unpinned packages shows the first five and how many more',
    text: dockerfile('FROM python:3.12-slim', 'RUN pip install a b c d e f g h', ...TAIL),
    expected: [['unpinned-pip', 2]],
    message: ['a, b, c, d, e and 3 more'],
  },
  {
    name: "uv's --requirements is a file, not a package",
    text: dockerfile(
      'FROM python:3.12-slim',
      'COPY requirements.txt .',
      'RUN uv pip install --system --index-strategy unsafe-best-match --requirements requirements.txt',
      ...TAIL,
    ),
    files: { 'requirements.txt': 'flask\n' },
    expected: [['unpinned-pip', 3]],
    message: ['flask (requirements.txt:1)'],
  },
  {
    name: 'near-miss: the same uv command with a pinned file',
    text: dockerfile(
      'FROM python:3.12-slim',
      'COPY requirements.txt .',
      'RUN uv pip install --system --index-strategy unsafe-best-match --requirements requirements.txt',
      ...TAIL,
    ),
    files: PINNED,
    expected: [],
  },
  {
    name: 'the fix of copy-before-install names the file pip reads',
    text: dockerfile(
      'FROM python:3.12-slim',
      'COPY . .',
      'RUN pip install -r requirements/base.txt',
      ...TAIL,
    ),
    files: { 'requirements/base.txt': 'flask==3.0.3\n' },
    expected: [['copy-before-install', 2]],
    message: ['copy only `requirements/base.txt` first'],
  },
  {
    name: 'the fix of copy-before-install names package.json and package-lock.json for npm ci',
    text: dockerfile('FROM node:20-slim', 'COPY . .', 'RUN npm ci', 'USER node'),
    expected: [['copy-before-install', 2]],
    message: ['`package.json` and `package-lock.json`'],
  },
  {
    name: 'near-miss: go mod tidy is not a dependency install',
    text: dockerfile('FROM golang:1.23', 'COPY . .', 'RUN go mod tidy', 'USER nobody'),
    expected: [],
  },
  // hadolint's codes
  {
    name: '# hadolint ignore=DL3008,DL3009 silences apt-lists (DL3008, apt pins, has no counterpart)',
    text: dockerfile(
      'FROM python:3.12-slim',
      '# hadolint ignore=DL3008,DL3009',
      'RUN apt-get update && apt-get install -y curl',
      ...TAIL,
    ),
    expected: [['apt-recommends', 3]],
  },
  {
    name: '# hadolint ignore=DL3013 silences unpinned-pip, DL3015 apt-recommends, DL3006 unpinned-base',
    text: dockerfile(
      '# hadolint ignore=DL3006',
      'FROM python',
      '# hadolint ignore=DL3013',
      'RUN pip install flask',
      '# hadolint ignore=DL3015, DL3009',
      'RUN apt-get update && apt-get install -y curl',
      ...TAIL,
    ),
    expected: [],
  },
  {
    name: '# hadolint global ignore=DL3002,DL3007 silences root-user and unpinned-base anywhere',
    text: dockerfile(
      '# hadolint global ignore=DL3002,DL3007',
      'FROM python:latest',
      'ENV PYTHONFAULTHANDLER=1',
      'USER root',
    ),
    expected: [],
  },
  {
    name: 'near-miss: a hadolint ignore above another instruction silences nothing here',
    text: dockerfile(
      'FROM python:3.12-slim',
      '# hadolint ignore=DL3013',
      'ENV PYTHONFAULTHANDLER=1',
      'RUN pip install flask',
      'USER app',
    ),
    expected: [['unpinned-pip', 4]],
  },
  // Issue 23: patterns that fooled the audit on more real Dockerfiles
  ...['rm -rf /var/lib/apt', 'rm -rf /var/lib/apt/', 'rm -rf /var/lib/apt/*'].map((removal) => ({
    name: `\`${removal}\` removes the lists with the rest of apt's state`,
    text: dockerfile(
      'FROM python:3.12-slim',
      `RUN apt-get update && apt-get install -y --no-install-recommends curl && ${removal}`,
      ...TAIL,
    ),
    expected: [],
  })),
  ...['rm -rf /var/lib/apt/periodic', 'rm -rf /var/lib/aptitude'].map((removal) => ({
    name: `near-miss: \`${removal}\` leaves the lists`,
    text: dockerfile(
      'FROM python:3.12-slim',
      `RUN apt-get update && apt-get install -y --no-install-recommends curl && ${removal}`,
      ...TAIL,
    ),
    expected: [['apt-lists', 2]] as [string, number][],
  })),
  {
    name: 'pip installs a moving branch archive named on the command line',
    text: dockerfile(
      'FROM python:3.12-slim',
      'RUN pip install --no-cache-dir https://github.com/acme/lib/archive/master.tar.gz',
      ...TAIL,
    ),
    expected: [['unpinned-pip', 2]],
    message: ['https://github.com/acme/lib/archive/master.tar.gz'],
  },
  {
    name: 'a requirements file names a branch archive and a VCS branch; a tag archive and a commit are pinned',
    text: dockerfile(
      'FROM python:3.12-slim',
      'COPY requirements.txt .',
      'RUN pip install -r requirements.txt',
      ...TAIL,
    ),
    files: {
      'requirements.txt': [
        'lib @ https://github.com/acme/lib/archive/refs/heads/main.zip',
        'https://github.com/acme/other/archive/main.zip',
        'tool @ git+https://github.com/acme/tool@main',
        'pinned @ https://github.com/acme/pinned/archive/v1.2.3.tar.gz',
        `sha @ https://github.com/acme/sha/archive/${'a1'.repeat(20)}.zip`,
        `git+https://github.com/acme/vcs@${'b2'.repeat(20)}#egg=vcs`,
        '',
      ].join('\n'),
    },
    expected: [['unpinned-pip', 3]],
    message: ['lib (requirements.txt:1), requirements.txt:2, tool (requirements.txt:3).'],
  },
  {
    name: 'Python installed with `uv python install` is a Python image',
    text: dockerfile(
      'FROM debian:bookworm-slim',
      'COPY --from=ghcr.io/astral-sh/uv:0.5.1 /uv /bin/uv',
      'RUN uv python install 3.12',
      'USER app',
    ),
    expected: [['no-faulthandler', 1]],
  },
  {
    name: "Python copied from a builder's `uv python install` is a Python image",
    text: dockerfile(
      'FROM debian:bookworm-slim AS builder',
      'ENV UV_PYTHON_INSTALL_DIR=/python',
      'RUN uv python install 3.12',
      'FROM debian:bookworm-slim',
      'COPY --from=builder --chown=app:app /python /python',
      'USER app',
    ),
    expected: [['no-faulthandler', 4]],
  },
  {
    name: 'the interpreter copied from a python builder stage (by index) is a Python image',
    text: dockerfile(
      'FROM python:3.12-slim',
      'RUN pip wheel --wheel-dir /wheels flask==3.0.3',
      'FROM gcr.io/distroless/cc-debian12:nonroot',
      'COPY --from=0 /usr/local/bin/python3.12 /usr/local/bin/python3.12',
      'COPY --from=0 /usr/local/lib/python3.12 /usr/local/lib/python3.12',
    ),
    expected: [['no-faulthandler', 3]],
  },
  {
    name: '/usr/local copied from a python image (JSON form) is a Python image',
    text: dockerfile(
      'FROM debian:bookworm-slim',
      'COPY --from=python:3.12-slim ["/usr/local", "/usr/local"]',
      'USER app',
    ),
    expected: [['no-faulthandler', 1]],
  },
  {
    name: 'near-miss: the copied interpreter with PYTHONFAULTHANDLER set is fine',
    text: dockerfile(
      'FROM python:3.12-slim AS builder',
      'FROM debian:bookworm-slim',
      'COPY --from=builder /usr/local /usr/local',
      ...TAIL,
    ),
    expected: [],
  },
  {
    name: 'near-miss: only a virtualenv (no interpreter) or files from a non-Python stage',
    text: dockerfile(
      'FROM python:3.12-slim AS builder',
      'FROM node:22-slim AS assets',
      'FROM debian:bookworm-slim',
      'COPY --from=builder /app/.venv /app/.venv',
      'COPY --from=assets /usr/local /usr/local',
      'USER app',
    ),
    expected: [],
  },
  {
    name: 'near-miss: archives of a tag and of a commit are pinned',
    text: dockerfile(
      'FROM python:3.12-slim',
      `RUN pip install https://github.com/acme/lib/archive/v1.2.3.tar.gz git+https://github.com/acme/tool@${'c3'.repeat(20)}`,
      ...TAIL,
    ),
    expected: [],
  },
];

describe.each(cases)('$name', ({ text, expected, files, target, buildArgs, targetPlatform, message }) => {
  const findings = audit(text, { files, target, buildArgs, targetPlatform });
  test(`gives ${JSON.stringify(expected)}`, () => {
    expect(ruleLines(findings)).toEqual(expected);
  });
  if (message !== undefined)
    test('says what the real file needs', () => {
      for (const words of message) expect(findings[0]?.message).toContain(words);
    });
});
