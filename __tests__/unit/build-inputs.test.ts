import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseBuildInputs } from '../../src/inputs/build-inputs.js';
import { InputError } from '../../src/shared/errors.js';
import { INPUT_NAMES, type RawInputs } from '../../src/inputs/input-names.js';

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

function raw(overrides: Partial<RawInputs> = {}): RawInputs {
  const defaults = Object.fromEntries(INPUT_NAMES.map((name) => [name, action.inputs[name]?.default ?? '']));
  return { ...(defaults as RawInputs), image: 'ghcr.io/acme/app', ...overrides };
}

describe('parseBuildInputs', () => {
  it("action.yml's defaults: registry cache on, current builder, the builder's platform", () => {
    expect(parseBuildInputs(raw())).toEqual({
      cache: true,
      cacheFrom: [],
      cacheTo: [],
      builder: undefined,
      platforms: [],
    });
  });

  it.each([
    [{ cache: 'false' }, { cache: false }],
    [{ cache: 'FALSE' }, { cache: false }],
    [{ cache: '' }, { cache: true }],
    [
      { 'cache-from': 'type=gha\r\n# a comment\n\n  type=registry,ref=ghcr.io/acme/app:cache  \n' },
      { cacheFrom: ['type=gha', 'type=registry,ref=ghcr.io/acme/app:cache'] },
    ],
    [{ 'cache-to': 'type=gha,mode=max' }, { cacheTo: ['type=gha,mode=max'] }],
    [{ builder: '  remote-k8s  ' }, { builder: 'remote-k8s' }],
    [{ platforms: 'linux/amd64' }, { platforms: ['linux/amd64'] }],
    [
      { platforms: 'linux/amd64, linux/arm64,linux/arm/v7' },
      { platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] },
    ],
    [{ platforms: 'linux/amd64\nlinux/arm64\nlinux/amd64' }, { platforms: ['linux/amd64', 'linux/arm64'] }],
  ] as const)('%j', (overrides, expected) => {
    expect(parseBuildInputs(raw(overrides))).toMatchObject(expected);
  });

  it.each([
    [{ cache: 'yes' }, 'cache', '"yes" is not a boolean'],
    [{ 'cache-from': '--push' }, 'cache-from', 'starts with "-"'],
    [{ 'cache-to': 'type=inline\n-o=/tmp' }, 'cache-to', 'starts with "-"'],
    [{ builder: '--push' }, 'builder', 'is not a buildx builder name'],
    [{ builder: 'my builder' }, 'builder', 'is not a buildx builder name'],
    [{ platforms: 'amd64' }, 'platforms', '"amd64" is not os/arch'],
    [{ platforms: 'linux/amd64 linux/arm64' }, 'platforms', 'is not os/arch'],
    [{ platforms: '--load' }, 'platforms', 'is not os/arch'],
  ] as const)('%j fails naming `%s`', (overrides, input, message) => {
    let thrown: unknown;
    try {
      parseBuildInputs(raw(overrides));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).input).toBe(input);
    expect((thrown as InputError).message).toContain(message);
  });
});
