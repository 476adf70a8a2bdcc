// Which of the `annotations` lines belong to a merged index and which to the platform images.

/** Levels only an index has: the merge job writes them, with `imagetools create`. */
const INDEX_LEVELS = new Set(['index', 'manifest-descriptor']);

interface Annotation {
  /** `index`, `manifest[linux/amd64]`…; empty: buildx's default (the image manifest). */
  levels: string[];
  /** `key=value`. */
  entry: string;
}

function parse(line: string): Annotation {
  const equals = line.indexOf('=');
  const colon = line.lastIndexOf(':', equals);
  if (colon === -1) return { levels: [], entry: line };
  // Levels are comma-separated; a platform in brackets holds no comma.
  return { levels: line.slice(0, colon).split(','), entry: line.slice(colon + 1) };
}

function levelName(level: string): string {
  return level.replace(/\[.*$/, '');
}

function format(levels: string[], entry: string): string {
  return levels.length === 0 ? entry : `${levels.join(',')}:${entry}`;
}

/** The lines' index-level parts (`index`, `manifest-descriptor`): what a merged index carries. */
export function indexAnnotations(lines: readonly string[]): string[] {
  return lines.flatMap((line) => {
    const { levels, entry } = parse(line);
    const kept = levels.filter((level) => INDEX_LEVELS.has(levelName(level)));
    return kept.length === 0 ? [] : [format(kept, entry)];
  });
}

/** The lines without their index-level parts: what a platform job of a split build writes. */
export function imageAnnotations(lines: readonly string[]): string[] {
  return lines.flatMap((line) => {
    const { levels, entry } = parse(line);
    if (levels.length === 0) return [line];
    const kept = levels.filter((level) => !INDEX_LEVELS.has(levelName(level)));
    return kept.length === 0 ? [] : [format(kept, entry)];
  });
}

/**
 * The settings a `merge: later` job builds with: its annotations without the index levels, which
 * the merge job writes (and which would make buildx push a one-image index itself).
 */
export function laterSettings<T extends { annotations: string[] }>(settings: T): T {
  return { ...settings, annotations: imageAnnotations(settings.annotations) };
}
