import type { Engine } from '../docker/engine-info.js';
import { InputError } from '../shared/errors.js';
import type { Settings } from '../inputs/settings.js';
import {
  type BuildOutput,
  buildxOnlyFlags,
  buildxOnlyInputs,
  commonBuildFlags,
  manifestInput,
} from './build-flags.js';
import type { Reproducibility } from './reproducible.js';
import { stageCacheExport } from './stage-cache.js';

/**
 * What becomes of the built image: loaded into docker (then pushed with `docker push`), pushed by
 * buildx itself (several platforms: docker cannot hold a multi-platform image; attestations or
 * annotations: docker's image store cannot hold them), or kept only in the build cache (either,
 * without push).
 */
export function buildOutput(settings: Settings, engine: Engine): BuildOutput {
  if (!engine.buildx) return 'load';
  if (settings.platforms.length <= 1 && manifestInput(settings) === undefined) return 'load';
  return settings.push ? 'push' : 'none';
}

/**
 * Inputs that only buildx understands fail clearly when this runner has the classic builder; a
 * multi-platform image is never in docker, so it cannot be tested inside before it is pushed.
 */
export function checkBuilderSupport(settings: Settings, engine: Engine): void {
  if (engine.buildx && buildOutput(settings, engine) !== 'load' && settings.testInImage !== undefined) {
    const why = manifestInput(settings);
    throw new InputError(
      why ?? 'platforms',
      why === undefined
        ? 'with several platforms the image is pushed by buildx and never loaded into docker, so `test-in-image` cannot run it; test one platform, or drop `test-in-image`'
        : `\`${why}\` makes buildx push the image itself (docker's image store cannot hold it), so the image is never loaded into docker and \`test-in-image\` cannot run it; drop one of the two`,
    );
  }
  if (engine.buildx) return;
  const used: [string, boolean][] = [
    ['cache-from', settings.cacheFrom.length > 0],
    ['cache-to', settings.cacheTo.length > 0],
    ['builder', settings.builder !== undefined],
    ['platforms', settings.platforms.length > 0],
    ['outputs', settings.exports.length > 0],
    ['call', settings.call !== undefined],
    ...buildxOnlyInputs(settings).map((name): [string, boolean] => [name, true]),
  ];
  const input = used.find(([, set]) => set)?.[0];
  if (input !== undefined) {
    throw new InputError(
      input,
      'needs docker buildx, but this runner has only the classic `docker build`; install the buildx plugin (docker/setup-buildx-action) or remove the input',
    );
  }
}

/**
 * buildx cache flags: the registry cache images, the user's sources, and where the cache goes: the
 * user's exports, else the every-stage registry cache (`cacheExport`), else the inline cache.
 */
function buildxCacheArgs(
  settings: Settings,
  cacheImages: string[],
  cacheExport: string | undefined,
): string[] {
  // `no-cache`: no cache is read, so none is named; the next run may still use what this one writes.
  const from = settings.noCache
    ? []
    : [...cacheImages.map((reference) => `type=registry,ref=${reference}`), ...settings.cacheFrom];
  // Inline cache costs a few bytes in the image config; the user's own exports replace it.
  const own = cacheExport === undefined ? ['type=inline'] : [stageCacheExport(cacheExport)];
  const to = settings.cacheTo.length > 0 ? settings.cacheTo : settings.cache ? own : [];
  return [
    ...from.flatMap((value) => ['--cache-from', value]),
    ...to.flatMap((value) => ['--cache-to', value]),
  ];
}

export interface BuildCommandInput {
  settings: Settings;
  engine: Engine;
  references: string[];
  labels: Record<string, string>;
  /** Registry images to reuse layers from (pulled beforehand unless another builder builds). */
  cacheImages?: string[];
  /** The every-stage registry cache to write (`mode=max`) instead of the inline cache. */
  cacheExport?: string | undefined;
  iidFile: string;
  /** Where buildx writes the build's metadata: the pushed digest when it pushes itself. */
  metadataFile: string;
  /** Set when `builder` is a docker context: selected through DOCKER_CONTEXT, not `--builder`. */
  dockerContext?: string | undefined;
  /** Classic builder: a copy of the Dockerfile with the labels in one LABEL (plan/classic-labels.ts). */
  labelledDockerfile?: string | undefined;
  /**
   * Pull the base image anew (`--pull`, as the `pull` input does): a security rebuild must not
   * build on a stale local copy.
   */
  pullBase?: boolean;
  /** SOURCE_DATE_EPOCH and rewrite-timestamp for a reproducible image (src/plan/reproducible.ts). */
  reproducibility?: Reproducibility | undefined;
}

/** The classic builder's labelled copy of the Dockerfile, when it has one; buildx takes `--label`. */
function labelledCopy(input: Pick<BuildCommandInput, 'engine' | 'labelledDockerfile'>): string | undefined {
  return input.engine.buildx ? undefined : input.labelledDockerfile;
}

/**
 * buildx's own output for the image: `--load` or `--push`, spelt out as `--output` when the exporter
 * needs options (the commit time, rewrite-timestamp: options of the exporter only).
 */
function imageOutput(
  output: BuildOutput,
  withExports: boolean,
  reproducibility: Reproducibility | undefined,
): string[] {
  if (output === 'none') return [];
  const options = [
    ...(reproducibility?.sourceDateEpoch === undefined
      ? []
      : [`source-date-epoch=${reproducibility.sourceDateEpoch}`]),
    ...(output === 'push' && reproducibility?.rewriteTimestamp === true ? ['rewrite-timestamp=true'] : []),
  ];
  // With `outputs`, the load is spelt out too: buildx folds `--load` into a `type=docker,dest=…`
  // output (buildx 0.29), which then writes the file and loads nothing.
  if (options.length === 0 && !(output === 'load' && withExports)) {
    return [output === 'load' ? '--load' : '--push'];
  }
  return ['--output', [output === 'load' ? 'type=docker' : 'type=registry', ...options].join(',')];
}

/** The argv of `docker buildx build` or classic `docker build`, without the program. */
export function buildArgs(input: BuildCommandInput): string[] {
  const { settings, engine } = input;
  const output = buildOutput(settings, engine);
  const head = engine.buildx
    ? [
        'buildx',
        'build',
        ...(settings.builder === undefined || input.dockerContext !== undefined
          ? []
          : ['--builder', settings.builder]),
        '--progress=plain',
        ...imageOutput(output, settings.exports.length > 0, input.reproducibility),
        // The `outputs` input: files buildx writes besides (BuildKit 0.13+ takes several exporters).
        ...settings.exports.flatMap((entry) => ['--output', entry.value]),
        // The pushed digest when buildx pushes, and the build's metadata (the `metadata` output).
        '--metadata-file',
        input.metadataFile,
        ...(settings.platforms.length > 0 ? ['--platform', settings.platforms.join(',')] : []),
        // The user's own `provenance` input wins (it comes with the common flags).
        ...(input.reproducibility?.withoutProvenance === true && settings.provenance === undefined
          ? ['--provenance=false']
          : []),
      ]
    : ['build'];
  const cache = engine.buildx
    ? buildxCacheArgs(settings, input.cacheImages ?? [], input.cacheExport)
    : (input.cacheImages ?? []).flatMap((reference) => ['--cache-from', reference]);
  const labelled = labelledCopy(input);
  return [
    ...head,
    '--file',
    labelled ?? settings.file,
    '--iidfile',
    input.iidFile,
    ...input.references.flatMap((reference) => ['--tag', reference]),
    ...(labelled !== undefined
      ? []
      : Object.entries(input.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`])),
    ...settings.buildArgs.flatMap((arg) => ['--build-arg', arg]),
    ...cache,
    ...commonBuildFlags(settings, settings.pull || input.pullBase === true),
    ...(engine.buildx ? buildxOnlyFlags(settings) : []),
    ...(settings.target === undefined ? [] : ['--target', settings.target]),
    // An absolute path: a context named "-" must never turn into "read the context from stdin".
    settings.context,
  ];
}
