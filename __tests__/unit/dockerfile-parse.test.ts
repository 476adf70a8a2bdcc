import { parsedDockerfile } from '../../src/plan/dockerfile-parse.js';

describe('parsedDockerfile', () => {
  it('parses a Dockerfile once, and again when the text changes', () => {
    const first = parsedDockerfile('FROM alpine\nRUN true\n');
    expect(parsedDockerfile('FROM alpine\nRUN true\n')).toBe(first);
    const other = parsedDockerfile('FROM busybox\n');
    expect(other).not.toBe(first);
    expect(other.getFROMs().map((from) => from.getImage())).toEqual(['busybox']);
    expect(parsedDockerfile('FROM alpine\nRUN true\n').getInstructions()).toHaveLength(2);
  });
});
