// The parts of the docker CLI's config.json that decide which daemon `docker` talks to and where it
// looks for CLI plugins, read the way the CLI reads them.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface CliConfig {
  /** `currentContext`; undefined or "" is the default context. */
  currentContext: string | undefined;
  /** `cliPluginsExtraDirs`, searched before the config folder's own `cli-plugins`. */
  pluginExtraDirs: string[];
  /** Whether `aliases` maps any command (`docker buildx install` sets `builder: buildx`). */
  hasAliases: boolean;
}

const INVALID = Symbol('invalid');

/**
 * A field of a JSON object as Go's encoding/json finds it: its name matched case-insensitively,
 * null read as absent. INVALID when two keys match or the value has another type.
 */
function optionalField<T>(
  object: Record<string, unknown>,
  name: string,
  is: (value: unknown) => value is T,
): T | undefined | typeof INVALID {
  const keys = Object.keys(object).filter((key) => key.toLowerCase() === name.toLowerCase());
  if (keys.length > 1) return INVALID;
  const value = keys[0] === undefined ? undefined : object[keys[0]];
  if (value === undefined || value === null) return undefined;
  return is(value) ? value : INVALID;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const isStringMap = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every(isString);

/** Parses config.json text; undefined when it is not what the CLI would read without complaint. */
export function parseCliConfig(text: string): CliConfig | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const object = json as Record<string, unknown>;
  const currentContext = optionalField(object, 'currentContext', isString);
  const pluginExtraDirs = optionalField(object, 'cliPluginsExtraDirs', isStringArray);
  const aliases = optionalField(object, 'aliases', isStringMap);
  if (currentContext === INVALID || pluginExtraDirs === INVALID || aliases === INVALID) return undefined;
  return {
    currentContext,
    pluginExtraDirs: pluginExtraDirs ?? [],
    hasAliases: Object.keys(aliases ?? {}).length > 0,
  };
}

/**
 * Reads `dir`/config.json; a missing file is the CLI's defaults, an unreadable one is undefined.
 * Synchronous on purpose: the probe's request to the daemon waits on it, and a small file read
 * costs less than a trip through the thread pool while start-up keeps the main thread busy.
 */
export function readCliConfig(dir: string): CliConfig | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dir, 'config.json'), 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return missing ? { currentContext: undefined, pluginExtraDirs: [], hasAliases: false } : undefined;
  }
  return parseCliConfig(text);
}
