import { InputError } from '../shared/errors.js';
import type { RawInputs } from './input-names.js';
import { parseBoolean, parseList } from './lists.js';
import type { Settings } from './settings.js';

type BuildSettings = Pick<Settings, 'cache' | 'cacheFrom' | 'cacheTo' | 'builder' | 'platforms'>;

// buildx's own names: a builder is a docker context or an instance name; platforms are os/arch[/variant].
const BUILDER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const PLATFORM = /^[a-z0-9_]+\/[a-z0-9_]+(?:\/[a-z0-9_.]+)?$/;

function cacheInput(raw: RawInputs): boolean {
  if (raw.cache.trim() === '') return true;
  const value = parseBoolean(raw.cache);
  if (value === undefined)
    throw new InputError('cache', `"${raw.cache}" is not a boolean; use true or false`);
  return value;
}

/** `cache-from` / `cache-to` lines go to buildx unchanged; they only must not look like options. */
function cacheLines(raw: RawInputs, name: 'cache-from' | 'cache-to'): string[] {
  return parseList(raw[name]).map((line) => {
    if (line.startsWith('-')) {
      throw new InputError(name, `line "${line}" starts with "-"; give the value only, e.g. type=gha`);
    }
    return line;
  });
}

function builderInput(raw: RawInputs): string | undefined {
  const name = raw.builder.trim();
  if (name === '') return undefined;
  if (!BUILDER_NAME.test(name)) {
    throw new InputError('builder', `"${name}" is not a buildx builder name (letters, digits, _ . -)`);
  }
  return name;
}

/** Platforms as buildx takes them: comma-separated, or one per line. */
export function platformsInput(raw: RawInputs, name: 'platforms' | 'merge' = 'platforms'): string[] {
  const platforms = parseList(raw[name].replace(/,/g, '\n'));
  const bad = platforms.find((platform) => !PLATFORM.test(platform));
  if (bad !== undefined) {
    throw new InputError(name, `"${bad}" is not os/arch[/variant], e.g. linux/amd64 or linux/arm/v7`);
  }
  return [...new Set(platforms)];
}

/** The inputs that choose how and where the image is built, and what cache it uses. */
export function parseBuildInputs(raw: RawInputs): BuildSettings {
  return {
    cache: cacheInput(raw),
    cacheFrom: cacheLines(raw, 'cache-from'),
    cacheTo: cacheLines(raw, 'cache-to'),
    builder: builderInput(raw),
    platforms: platformsInput(raw),
  };
}
