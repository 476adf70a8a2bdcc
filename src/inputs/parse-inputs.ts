import { parseSizeLimit } from './size-limit.js';
import * as path from 'node:path';
import { auditInput, auditIgnoreInput } from './audit-inputs.js';
import { parseBuildFlagInputs } from './build-flag-inputs.js';
import { parseBuildInputs } from './build-inputs.js';
import { InputError } from '../shared/errors.js';
import { InImageCommandError, mergeEnvLines, parseInImageCommand } from './in-image-command.js';
import { parseBoolean, parseList } from './lists.js';
import { checkPlaceholders } from './placeholders.js';
import { ImageNameError, parseRegistryHost, parseRepository } from '../shared/image-reference.js';
import { Secret } from '../shared/secret.js';
import { parseSecretInputs } from './secret-inputs.js';
import { parseMergeInput } from './merge-input.js';
import { parseCall, parseExports } from './export-inputs.js';
import { checkOneLoginPerRegistry, stepLogins } from './logins.js';
import { NO_YAML, parseRegistryAuth, type ReadYaml } from './registry-auth.js';
import type { InputName, RawInputs } from './input-names.js';

// The names live in input-names.ts (build-inputs.ts reads them too); kept here for the callers of parseInputs.
import type { LatestPolicy, OnCollision, RebuildPolicy, Settings } from './settings.js';

export interface ParsedInputs {
  settings: Settings;
  /** Things the user should know about how their inputs were read. */
  notices: string[];
}

function booleanInput(raw: RawInputs, name: InputName, fallback: boolean): boolean {
  if (raw[name].trim() === '') return fallback;
  const value = parseBoolean(raw[name]);
  if (value === undefined) throw new InputError(name, `"${raw[name]}" is not a boolean; use true or false`);
  return value;
}

function registryInput(raw: RawInputs): string | undefined {
  const text = raw.registry.trim();
  if (text === '') return undefined;
  try {
    return parseRegistryHost(text);
  } catch (error) {
    throw new InputError('registry', (error as ImageNameError).message);
  }
}

function imagesInput(raw: RawInputs, registry: string | undefined, notices: string[]): string[] {
  const lines = parseList(raw.image);
  if (lines.length === 0) {
    throw new InputError('image', 'is required: name the repository to push, e.g. ghcr.io/acme/app');
  }
  const images: string[] = [];
  for (const line of lines) {
    let name: string;
    try {
      name = parseRepository(line, registry).name;
    } catch (error) {
      if (error instanceof ImageNameError) throw new InputError('image', error.message);
      throw error;
    }
    if (line !== line.toLowerCase())
      notices.push(`Image "${line}" was lower-cased to "${name}" (Docker requires lower case).`);
    if (!images.includes(name)) images.push(name);
  }
  return images;
}

/** `username`/`password`: the login, or none; a username whose password is empty is set aside. */
function credentialsInput(
  raw: RawInputs,
  registry: string | undefined,
): Pick<Settings, 'credentials' | 'loginsWithoutPassword'> {
  const username = raw.username.trim();
  const password = raw.password;
  if (username === '' && password === '') return { credentials: undefined, loginsWithoutPassword: [] };
  if (username === '') {
    throw new InputError(
      'username',
      'is empty but `password` is set; give both to log in, or neither to use an earlier login',
    );
  }
  if (password === '') {
    const problem =
      'is empty but `username` is set; give both to log in, or neither to use an earlier login (secrets are empty in pull requests from forks)';
    return {
      credentials: undefined,
      loginsWithoutPassword: [{ registry, input: 'password', source: '`username`/`password`', problem }],
    };
  }
  return { credentials: { username, password: new Secret(password) }, loginsWithoutPassword: [] };
}

/** `KEY=VALUE` lines (values may contain `=`). */
function keyValueInput(raw: RawInputs, name: InputName): string[] {
  return parseList(raw[name]).map((line) => {
    const key = line.split('=', 1)[0] ?? '';
    if (!line.includes('=') || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new InputError(name, `line "${line}" is not KEY=VALUE (KEY: letters, digits and _)`);
    }
    return line;
  });
}

/** `KEY=VALUE` lines whose values may use the tag templates' placeholders. */
function buildArgsInput(raw: RawInputs): string[] {
  const lines = keyValueInput(raw, 'build-args');
  lines.forEach((line) => {
    checkPlaceholders('build-args', line);
  });
  return lines;
}

const MAX_RETRIES = 10;

function retriesInput(raw: RawInputs): number {
  const text = raw.retries.trim();
  if (text === '') return 3;
  if (!/^\d+$/.test(text) || Number(text) > MAX_RETRIES) {
    throw new InputError('retries', `"${text}" is not a whole number from 0 to ${MAX_RETRIES}`);
  }
  return Number(text);
}

function pushTimeoutInput(raw: RawInputs): number {
  const text = raw['push-timeout'].trim();
  if (text === '') return 600;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new InputError('push-timeout', `"${text}" is not a whole number of seconds (1 or more)`);
  }
  return Number(text);
}

const COLLISION_POLICIES: readonly OnCollision[] = ['fail', 'warn', 'overwrite'];

function onCollisionInput(raw: RawInputs): OnCollision {
  const text = raw['on-collision'].trim().toLowerCase();
  if (text === '') return 'fail';
  const policy = COLLISION_POLICIES.find((name) => name === text);
  if (policy === undefined) {
    throw new InputError('on-collision', `"${text}" is not one of ${COLLISION_POLICIES.join(', ')}`);
  }
  return policy;
}

const REBUILD_POLICIES: readonly RebuildPolicy[] = ['always', 'base-changed'];

function rebuildInput(raw: RawInputs): RebuildPolicy {
  const text = raw.rebuild.trim().toLowerCase();
  if (text === '') return 'always';
  const policy = REBUILD_POLICIES.find((name) => name === text);
  if (policy === undefined) {
    throw new InputError('rebuild', `"${text}" is not one of ${REBUILD_POLICIES.join(', ')}`);
  }
  return policy;
}

function testInImageInput(raw: RawInputs, notices: string[]): Settings['testInImage'] {
  const env = keyValueInput(raw, 'test-in-image-env');
  if (raw['test-in-image'].trim() === '') {
    if (env.length > 0) notices.push('`test-in-image-env` is ignored: `test-in-image` is empty.');
    return undefined;
  }
  try {
    return { command: parseInImageCommand(raw['test-in-image']), env: mergeEnvLines(env) };
  } catch (error) {
    if (error instanceof InImageCommandError) throw new InputError('test-in-image', error.message);
    throw error;
  }
}

function latestInput(raw: RawInputs): LatestPolicy {
  const text = raw.latest.trim();
  if (text === '' || text.toLowerCase() === 'auto') return 'auto';
  if (text.toLowerCase() === 'default-branch') return 'default-branch';
  const value = parseBoolean(text);
  if (value === undefined) {
    throw new InputError('latest', `"${text}" is not valid; use auto, default-branch, true or false`);
  }
  return value ? 'always' : 'never';
}

function labelsInput(raw: RawInputs): Record<string, string> {
  const entries = parseList(raw.labels).map((line): [string, string] => {
    const separator = line.indexOf('=');
    const key = separator > 0 ? line.slice(0, separator).trim() : '';
    if (key === '' || /\s/.test(key)) {
      throw new InputError(
        'labels',
        `line "${line}" is not KEY=VALUE (a key without spaces, e.g. org.opencontainers.image.vendor=Acme)`,
      );
    }
    return [key, line.slice(separator + 1).trim()];
  });
  // fromEntries defines own properties: a key such as __proto__ stays a plain label.
  return Object.fromEntries(entries);
}

function targetInput(raw: RawInputs): string | undefined {
  const target = raw.target.trim();
  if (target === '') return undefined;
  if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(target)) {
    throw new InputError(
      'target',
      `"${target}" is not a build stage name; use the name after AS in the Dockerfile (letters, digits, _ . -)`,
    );
  }
  return target;
}

function directoryInput(raw: RawInputs, name: InputName, base: string, fallback: string): string {
  const value = raw[name].trim() || fallback;
  return path.resolve(base, value);
}

/** Validates and normalises the raw inputs. `workspace` anchors relative paths. Pure: no I/O. */
export function parseInputs(raw: RawInputs, workspace: string, readYaml: ReadYaml = NO_YAML): ParsedInputs {
  const notices: string[] = [];
  const loginRegistry = registryInput(raw);
  const images = imagesInput(raw, loginRegistry, notices);
  const workingDirectory = directoryInput(raw, 'working-directory', workspace, '.');
  const context = directoryInput(raw, 'context', workingDirectory, '.');
  const file =
    raw.file.trim() === ''
      ? path.join(context, 'Dockerfile')
      : path.resolve(workingDirectory, raw.file.trim());
  const tagTemplates = parseList(raw.tag);
  tagTemplates.forEach((template) => {
    checkPlaceholders('tag', template);
  });
  const testCommand = raw['test-command'].trim() === '' ? undefined : raw['test-command'];
  const build = parseBuildInputs(raw);
  const push = booleanInput(raw, 'push', true);
  const merge = parseMergeInput(raw, { push, platforms: build.platforms }, notices);
  const ownRegistry = loginRegistry ?? firstHost(images);
  const own = credentialsInput(raw, ownRegistry);
  const registryAuth = parseRegistryAuth(raw['registry-auth'], readYaml);
  const logins = {
    loginRegistry: ownRegistry,
    credentials: own.credentials,
    registryAuth: registryAuth.logins,
    loginsWithoutPassword: [...own.loginsWithoutPassword, ...registryAuth.withoutPassword],
  };
  checkOneLoginPerRegistry(stepLogins(logins));
  return {
    settings: {
      images,
      ...logins,
      tagTemplates: tagTemplates.length > 0 ? tagTemplates : ['{ref}'],
      semver: booleanInput(raw, 'semver', true),
      latest: latestInput(raw),
      labels: labelsInput(raw),
      testCommand,
      testInImage: testInImageInput(raw, notices),
      workingDirectory,
      context,
      file,
      buildArgs: buildArgsInput(raw),
      ...build,
      merge,
      reproducible: booleanInput(raw, 'reproducible', true),
      target: targetInput(raw),
      secrets: parseSecretInputs(raw, workingDirectory),
      ...parseBuildFlagInputs(raw, workingDirectory),
      exports: parseExports(raw.outputs, workingDirectory),
      call: parseCall(raw.call),
      audit: auditInput(raw.audit),
      auditIgnore: auditIgnoreInput(raw['audit-ignore']),
      push,
      pushForks: booleanInput(raw, 'push-forks', false),
      githubToken: raw['github-token'] === '' ? undefined : new Secret(raw['github-token']),
      dryRun: booleanInput(raw, 'dry-run', false),
      retries: retriesInput(raw),
      pushTimeoutSeconds: pushTimeoutInput(raw),
      maxSizeIncrease: parseSizeLimit(raw['max-size-increase']),
      onCollision: onCollisionInput(raw),
      rebuild: rebuildInput(raw),
      summary: booleanInput(raw, 'summary', true),
    },
    notices,
  };
}

/** Without `registry`, log in to the first image's registry (Docker Hub when it names none). */
function firstHost(images: string[]): string | undefined {
  const first = images[0];
  return first === undefined ? undefined : parseRepository(first).host;
}
