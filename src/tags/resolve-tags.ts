import type { RefContext } from '../context/ref-context.js';
import { InputError } from '../shared/errors.js';
import { BUILD_ARGS_LABEL, buildArgsDigest, imageLabels } from './labels.js';
import { releaseTags } from './release.js';
import type { Settings } from '../inputs/settings.js';
import {
  placeholderValues,
  type RefNames,
  refNames,
  releaseVersion,
  type RenderedTags,
  renderTags,
  type ResolvedTag,
} from './tags.js';
import { type RenderedBuildArgs, renderBuildArgs } from './build-arg-values.js';
import { fullVersion } from './version.js';

export interface TagResolution {
  names: RefNames;
  /** Every tag once, in order: the templates', then the release's; each with the rule that made it. */
  tags: ResolvedTag[];
  /** Templates skipped because a placeholder has no value on this run (the edge logs a notice). */
  skipped: RenderedTags['skipped'];
}

/** The first rule to produce a tag keeps it: a tag is pushed once. */
function withoutDuplicates(tags: readonly ResolvedTag[]): ResolvedTag[] {
  const seen = new Set<string>();
  return tags.filter(({ tag }) => {
    if (seen.has(tag)) return false;
    seen.add(tag);
    return true;
  });
}

/** All the tags of this run. `now` gives `{date}`, injected so that tests are deterministic. */
export function resolveTags(
  settings: Pick<Settings, 'tagTemplates' | 'semver' | 'latest'>,
  context: RefContext,
  now: Date,
): TagResolution {
  const names = refNames(context);
  const rendered = renderTags(settings.tagTemplates, context, now);
  const release = releaseTags(names, { ...settings, defaultBranch: context.defaultBranch });
  const tags = withoutDuplicates([...rendered.tags, ...release]);
  if (tags.length === 0) {
    throw new InputError(
      'tag',
      'no template gave a tag on this run; add one that always has a value, e.g. {short-sha}',
    );
  }
  return { names, tags, skipped: rendered.skipped };
}

/** Every repository gets every tag: `repository:tag`, repository by repository. */
export function fullReferences(images: readonly string[], tags: readonly ResolvedTag[]): string[] {
  return images.flatMap((image) => tags.map(({ tag }) => `${image}:${tag}`));
}

/** What the image of this run is called and carries: its tags, full references and labels. */
export interface ImageNames extends TagResolution {
  references: string[];
  labels: Record<string, string>;
  /** The release's version without `v` (`1.2.3`, `2.0.0-rc.1`); undefined when the run is no release. */
  version: string | undefined;
  /** `build-args` with their placeholders filled (see renderBuildArgs). */
  buildArgs: RenderedBuildArgs;
}

/** How each full reference moves (see TagMotion); absent for an exact tag. */
export function referenceMotions(
  images: readonly string[],
  tags: readonly ResolvedTag[],
): Map<string, NonNullable<ResolvedTag['moves']>> {
  return new Map(
    images.flatMap((image) =>
      tags.flatMap(({ tag, moves }) => (moves === undefined ? [] : [[`${image}:${tag}`, moves] as const])),
    ),
  );
}

/** The tags stage: tags, references (every image, every tag) and labels, from the settings and the ref. */
export function imageNames(settings: Settings, context: RefContext, now: Date): ImageNames {
  const resolution = resolveTags(settings, context, now);
  const release = releaseVersion(resolution.names);
  const version = release === undefined ? undefined : fullVersion(release);
  const buildArgs = renderBuildArgs(settings.buildArgs, placeholderValues(context, resolution.names, now));
  return {
    ...resolution,
    references: fullReferences(settings.images, resolution.tags),
    labels: {
      ...imageLabels(context, version ?? resolution.tags[0]?.tag, settings.labels),
      [BUILD_ARGS_LABEL]: buildArgsDigest(buildArgs.args),
    },
    version,
    buildArgs,
  };
}
