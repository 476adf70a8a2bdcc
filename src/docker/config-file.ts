// The docker CLI's config folder and its config.json: the one place that finds and parses them.
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The docker CLI's own config folder: DOCKER_CONFIG, else ~/.docker (HOME first, as the CLI does). */
export function userDockerConfig(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
}

/** config.json exists but is not what the CLI would read without complaint. */
export class ConfigFileError extends Error {}

/**
 * `dockerConfig`/config.json as a JSON object; undefined when there is none (the CLI's defaults).
 * Synchronous: a small file, read before anything could change it meanwhile.
 */
export function readConfigFile(dockerConfig: string): Record<string, unknown> | undefined {
  const file = path.join(dockerConfig, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new ConfigFileError(`${file} cannot be read`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigFileError(`${file} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigFileError(`${file} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
