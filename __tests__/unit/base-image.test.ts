import { baseImageOf, type BaseImage } from '../../src/plan/base-image.js';

const image = (name: string, pinned?: string): BaseImage => ({ kind: 'image', name, pinned });

const cases: [string, string, string[], string | undefined, BaseImage][] = [
  ['one stage', 'FROM python:3.12-slim\nRUN true\n', [], undefined, image('python:3.12-slim')],
  ['the last stage', 'FROM golang:1.22 AS build\nFROM alpine:3.20\n', [], undefined, image('alpine:3.20')],
  ['the target stage', 'FROM golang:1.22 AS build\nFROM alpine:3.20\n', [], 'build', image('golang:1.22')],
  ['a target in other case', 'FROM golang:1.22 AS Build\nFROM alpine\n', [], 'BUILD', image('golang:1.22')],
  [
    'a chain of stages to the image',
    'FROM node:20 AS deps\nFROM deps AS build\nFROM build\nCMD ["node"]\n',
    [],
    undefined,
    image('node:20'),
  ],
  [
    'scratch',
    'FROM golang AS build\nFROM scratch\nCOPY --from=build /app /app\n',
    [],
    undefined,
    { kind: 'scratch' },
  ],
  ['a chain ending at scratch', 'FROM SCRATCH AS empty\nFROM empty\n', [], undefined, { kind: 'scratch' }],
  [
    'an ARG default',
    'ARG VERSION=3.12\nFROM python:${VERSION}-slim\n',
    [],
    undefined,
    image('python:3.12-slim'),
  ],
  [
    'a build-arg over the ARG default',
    'ARG VERSION=3.12\nFROM python:${VERSION}-slim\n',
    ['VERSION=3.13'],
    undefined,
    image('python:3.13-slim'),
  ],
  [
    'the last value of a build-arg given twice',
    'ARG BASE\nFROM $BASE\n',
    ['BASE=a:1', 'BASE=b:2'],
    undefined,
    image('b:2'),
  ],
  [
    'an ARG default that names another ARG',
    'ARG REGISTRY=ghcr.io\nARG BASE=${REGISTRY}/acme/base:stable\nFROM ${BASE}\n',
    [],
    undefined,
    image('ghcr.io/acme/base:stable'),
  ],
  [
    'a registry with a port',
    'FROM 127.0.0.1:5000/base/busybox:stable AS run\n',
    [],
    undefined,
    image('127.0.0.1:5000/base/busybox:stable'),
  ],
  [
    'a pinned digest',
    'FROM python:3.12@sha256:abc\n',
    [],
    undefined,
    image('python:3.12@sha256:abc', 'sha256:abc'),
  ],
  [
    'a --platform flag',
    'FROM --platform=$BUILDPLATFORM alpine:3.20 AS a\n',
    [],
    undefined,
    image('alpine:3.20'),
  ],
];

describe('baseImageOf', () => {
  test.each(cases)('%s', (_name, dockerfile, buildArgs, target, expected) => {
    expect(baseImageOf(dockerfile, buildArgs, target)).toEqual(expected);
  });

  test.each([
    ['an ARG without value', 'ARG BASE\nFROM ${BASE}\n', /line 2 names no complete image/],
    ['an empty tag', 'ARG V\nFROM python:${V}\n', /"python:"/],
    ['no FROM', '# nothing\n', /has no FROM/],
  ])('cannot tell the base with %s', (_name, dockerfile, reason) => {
    const base = baseImageOf(dockerfile, [], undefined);
    expect(base.kind).toBe('unknown');
    expect(base.kind === 'unknown' ? base.reason : '').toMatch(reason);
  });

  test('names a missing target', () => {
    expect(baseImageOf('FROM alpine AS a\n', [], 'b')).toEqual({
      kind: 'unknown',
      reason: 'the Dockerfile has no stage "b"',
    });
  });
});
