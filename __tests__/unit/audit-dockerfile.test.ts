import { audit, dockerfile, ruleLines } from '../../__fixtures__/audit.js';
import { InputError } from '../../src/shared/errors.js';

const PIP_BUILDER = [
  'FROM python:3.12-slim AS build',
  'RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*',
  'RUN pip wheel --wheel-dir /wheels psycopg2==2.9.9',
];

describe('multi-stage builds: only the final stage counts for root-user, no-faulthandler, build-tools-in-final', () => {
  test('a root builder with compilers and no PYTHONFAULTHANDLER is fine when the final stage is clean', () => {
    const text = dockerfile(
      ...PIP_BUILDER,
      'FROM python:3.12-slim',
      'ENV PYTHONFAULTHANDLER=1',
      'COPY --from=build /wheels /wheels',
      'USER app',
    );
    expect(audit(text)).toEqual([]);
  });

  test('a non-root, faulthandler builder does not make a root final stage clean', () => {
    const text = dockerfile(
      'FROM python:3.12-slim AS build',
      'ENV PYTHONFAULTHANDLER=1',
      'USER app',
      'FROM python:3.12-slim',
      'COPY --from=build /app /app',
    );
    expect(ruleLines(audit(text))).toEqual([
      ['no-faulthandler', 4],
      ['root-user', 4],
    ]);
  });

  test('compilers in the final stage of a multi-stage build are left to the author', () => {
    const text = dockerfile(
      'FROM python:3.12-slim AS base',
      'FROM base',
      'RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*',
      'ENV PYTHONFAULTHANDLER=1',
      'USER app',
    );
    expect(audit(text)).toEqual([]);
  });

  test('a final stage inherits USER and ENV from the stage it starts from', () => {
    const text = dockerfile(
      'FROM python:3.12-slim AS base',
      'ENV PYTHONFAULTHANDLER=1',
      'USER app',
      'FROM base AS final',
      'COPY --chown=app app.py /app/',
    );
    expect(audit(text)).toEqual([]);
  });

  test('rules for every stage still look at a builder the final stage copies from; apt rules do not', () => {
    const text = dockerfile(
      'FROM python AS build',
      'RUN apt-get install -y gcc && pip install cython',
      'FROM python:3.12-slim',
      'COPY --from=build /wheels /wheels',
      'ENV PYTHONFAULTHANDLER=1',
      'USER app',
    );
    expect(ruleLines(audit(text))).toEqual([
      ['unpinned-base', 1],
      ['unpinned-pip', 2],
    ]);
  });
});

describe('ARGs before FROM', () => {
  const text = dockerfile(
    'ARG PYTHON_VERSION=3.12',
    'ARG VARIANT',
    'ARG BASE=python:${PYTHON_VERSION}${VARIANT:+-$VARIANT}',
    'FROM ${BASE}',
    'ENV PYTHONFAULTHANDLER=1',
    'USER app',
  );

  test('resolve the base image from their defaults', () => {
    expect(audit(text)).toEqual([]);
  });

  test('take build-args over the defaults', () => {
    expect(ruleLines(audit(text, { buildArgs: ['VARIANT=alpine'] }))).toEqual([['alpine-python', 4]]);
    expect(ruleLines(audit(text, { buildArgs: ['BASE=python'] }))).toEqual([['unpinned-base', 4]]);
  });

  test('an ARG without a value leaves the image untagged', () => {
    const untagged = dockerfile('ARG TAG', 'FROM python${TAG}', 'ENV PYTHONFAULTHANDLER=1', 'USER app');
    expect(ruleLines(audit(untagged))).toEqual([['unpinned-base', 2]]);
  });

  test.each([
    [
      'a substitution in an ARG the FROM uses',
      ['ARG V=3.12', 'ARG X=slim-a', 'ARG P=${X/a/b}', 'FROM python:${V}-${P}'],
    ],
    ['a substitution in the FROM itself', ['ARG V=3.12.4', 'FROM python:${V%.*}-slim']],
    ['a variable no ARG declares', ['FROM python:${PYTHON_TAG}']],
    [
      'a variable declared only in a later stage',
      ['FROM python:3.12 AS one', 'ARG LATER=3', 'FROM python:${LATER}'],
    ],
  ])('%s makes the base unknown, not untagged', (_, lines) => {
    const text = dockerfile(...lines, 'ENV PYTHONFAULTHANDLER=1', 'USER app');
    expect(audit(text).filter((finding) => finding.rule === 'unpinned-base')).toEqual([]);
  });
});

describe('line continuations', () => {
  test('a RUN over several lines is one instruction, reported on its first line', () => {
    const text = dockerfile(
      'FROM python:3.12-slim',
      'RUN apt-get update \\',
      '    && apt-get install -y \\',
      '       curl \\',
      '    && pip install \\',
      '       flask',
      'ENV PYTHONFAULTHANDLER=1',
      'USER app',
    );
    expect(ruleLines(audit(text))).toEqual([
      ['apt-lists', 2],
      ['apt-recommends', 2],
      ['unpinned-pip', 2],
    ]);
  });

  test('the escape directive changes the continuation character', () => {
    const text = dockerfile(
      '# escape=`',
      'FROM python:3.12-slim',
      'RUN apt-get update `',
      '    && apt-get install -y --no-install-recommends curl `',
      '    && rm -rf /var/lib/apt/lists/*',
      'ENV PYTHONFAULTHANDLER=1',
      'USER app',
    );
    expect(audit(text)).toEqual([]);
  });
});

describe('target stage', () => {
  const text = dockerfile(
    'FROM python:3.12-slim AS test',
    'RUN pip install pytest',
    'FROM python:3.12-slim AS production',
    'COPY --from=test /reports /reports',
    'ENV PYTHONFAULTHANDLER=1',
    'USER app',
    'FROM python:latest AS debug',
  );

  test('is audited as the final stage; later stages are not built, so not audited', () => {
    expect(ruleLines(audit(text, { target: 'production' }))).toEqual([['unpinned-pip', 2]]);
  });

  test('an earlier target makes the earlier stage final', () => {
    expect(ruleLines(audit(text, { target: 'TEST' }))).toEqual([
      ['no-faulthandler', 1],
      ['root-user', 1],
      ['unpinned-pip', 2],
    ]);
  });

  test('without a target the last stage is final, and the stages it does not use are skipped', () => {
    expect(ruleLines(audit(text))).toEqual([
      ['no-faulthandler', 7],
      ['root-user', 7],
      ['unpinned-base', 7],
    ]);
  });

  test('a target the Dockerfile lacks is an input error naming the stages', () => {
    expect(() => audit(text, { target: 'prod' })).toThrow(InputError);
    expect(() => audit(text, { target: 'prod' })).toThrow(
      'Input `target`: the Dockerfile has no stage "prod"; its stages are test, production, debug',
    );
  });
});

describe('silencing', () => {
  const text = dockerfile(
    'FROM python:3.12-slim',
    '# needs the recommended fonts',
    '# audit-ignore: apt-recommends, apt-lists',
    'RUN apt-get update && apt-get install -y fonts-dejavu',
    'ENV PYTHONFAULTHANDLER=1',
    '# audit-ignore: root-user',
    'USER root',
    'RUN apt-get install -y curl',
  );

  test('a comment above an instruction silences the named rules for that instruction only', () => {
    expect(ruleLines(audit(text))).toEqual([
      ['apt-lists', 8],
      ['apt-recommends', 8],
    ]);
  });

  test('a comment names the rule: another rule on the same line still counts', () => {
    const other = dockerfile('# audit-ignore: root-user', 'FROM python', 'ENV PYTHONFAULTHANDLER=1');
    expect(ruleLines(audit(other))).toEqual([['unpinned-base', 2]]);
  });

  test('a blank line ends the comment block', () => {
    const apart = dockerfile(
      '# audit-ignore: unpinned-base',
      '',
      'FROM python',
      'ENV PYTHONFAULTHANDLER=1',
      'USER app',
    );
    expect(ruleLines(audit(apart))).toEqual([['unpinned-base', 3]]);
  });

  test('audit-ignore skips a rule for the whole run', () => {
    expect(audit(text, { ignore: ['apt-lists', 'apt-recommends'] })).toEqual([]);
  });
});

test('a Dockerfile without FROM has nothing to audit (the build reports it)', () => {
  expect(audit(dockerfile('RUN true'))).toEqual([]);
});

test('scratch, distroless :nonroot and exec-form RUN', () => {
  const text = dockerfile(
    'FROM scratch AS empty',
    'FROM gcr.io/distroless/python3-debian12:nonroot',
    'ENV PYTHONFAULTHANDLER=1',
    'RUN ["pip", "install", "flask"]',
  );
  expect(ruleLines(audit(text))).toEqual([['unpinned-pip', 4]]);
});
