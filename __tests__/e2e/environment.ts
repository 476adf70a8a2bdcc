import { mkdtempSync, readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What scripts/e2e-env.sh started: registries, credentials, base image, buildx plugin. */
export interface E2eEnvironment {
  publicRegistry: string;
  privateRegistry: string;
  user: string;
  password: string;
  /** A second authenticated registry, with a user of its own (logins to two registries in one step). */
  secondRegistry: string;
  secondUser: string;
  secondPassword: string;
  baseImage: string;
  buildxPlugin: string;
  /** The engine these tests face (scripts/legs.sh). */
  leg: 'legacy' | 'modern' | 'modern-containerd';
  /** The docker driver of this leg's daemon builds several platforms at once (containerd image store). */
  multiPlatform: boolean;
  /** An index of a linux/amd64 and a linux/arm64 busybox, on legs that build several platforms. */
  multiPlatformBaseImage: string | undefined;
}

export function loadEnvironment(): E2eEnvironment {
  const dir = process.env.BPA_E2E_DIR;
  if (dir === undefined)
    throw new Error('BPA_E2E_DIR is not set: run the e2e tests through jest (global-setup.ts)');
  const file = path.join(dir, 'env');
  const values = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as Record<string, string | undefined>;
  const need = (key: string): string => {
    const value = values[key];
    if (value === undefined || value === '') throw new Error(`${file} lacks ${key}`);
    return value;
  };
  return {
    publicRegistry: need('BPA_PUBLIC_REGISTRY'),
    privateRegistry: need('BPA_PRIVATE_REGISTRY'),
    user: need('BPA_REGISTRY_USER'),
    password: need('BPA_REGISTRY_PASSWORD'),
    secondRegistry: need('BPA_SECOND_REGISTRY'),
    secondUser: need('BPA_SECOND_USER'),
    secondPassword: need('BPA_SECOND_PASSWORD'),
    baseImage: need('BPA_BASE_IMAGE'),
    buildxPlugin: need('BPA_BUILDX_PLUGIN'),
    leg: need('BPA_LEG') as E2eEnvironment['leg'],
    multiPlatform: need('BPA_LEG_MULTI_PLATFORM') === 'true',
    multiPlatformBaseImage: values.BPA_MULTI_PLATFORM_BASE_IMAGE || undefined,
  };
}

/** The action's inputs that log in to the private registry. */
export function loginInputs(environment: E2eEnvironment): Record<string, string> {
  return {
    registry: environment.privateRegistry,
    username: environment.user,
    password: environment.password,
  };
}

/**
 * A user's docker config folder as a runner would have it: with the buildx plugin (GitHub-hosted
 * runners) or without (many self-hosted machines, where `docker build` is the classic builder).
 */
export function userDockerConfig(environment: E2eEnvironment, buildx: boolean): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpa-user-docker-'));
  if (buildx) {
    mkdirSync(path.join(dir, 'cli-plugins'));
    symlinkSync(environment.buildxPlugin, path.join(dir, 'cli-plugins', 'docker-buildx'));
  }
  return dir;
}

export const BUILDERS = [
  ['buildx', true],
  ['classic docker build', false],
] as const;
