// The plan of a merge job (`merge: <platforms>`): find the platform images the `merge: later` jobs
// pushed, check the tags as any push does, and push one index per repository.
import { InputError } from '../shared/errors.js';
import { DOCKER_HUB, registryOf, sameRegistry } from '../shared/image-reference.js';
import type { PlatformImage } from '../tags/platform-tags.js';
import { indexAnnotations } from '../inputs/annotation-levels.js';
import type { Command } from '../shared/command.js';
import {
  commandEnv,
  INSPECT_TIMEOUT_SECONDS,
  loginSteps,
  lookupSteps,
  remoteRequest,
  type PlanInput,
  type Step,
  verifySteps,
} from './plan.js';

export interface MergePlanInput extends PlanInput {
  /** Every listed platform's image, in every repository (tags/platform-tags.ts). */
  platformImages: PlatformImage[];
}

function platformImageSteps(input: MergePlanInput): Step[] {
  return input.platformImages.map(({ platform, reference, revision }) => ({
    kind: 'platform-image',
    title: `Find the ${platform} image ${reference}`,
    reference,
    remote: { ...remoteRequest(input, reference, false), platforms: true },
    platform,
    revision,
  }));
}

/** `docker buildx imagetools create` of the index of `sources`, pushed to `tags` (none: `--dry-run`). */
function createCommand(
  input: MergePlanInput,
  sources: string[],
  tags: string[],
  env: Record<string, string>,
): Command {
  const { builder } = input.settings;
  const ownBuilder = builder !== undefined && input.dockerContext === undefined;
  return {
    program: 'docker',
    args: [
      'buildx',
      'imagetools',
      'create',
      ...(ownBuilder ? ['--builder', builder] : []),
      ...(tags.length === 0 ? ['--dry-run'] : tags.flatMap((tag) => ['--tag', tag])),
      ...indexAnnotations(input.settings.annotations).flatMap((line) => ['--annotation', line]),
      ...sources,
    ],
    env,
    timeoutSeconds: tags.length === 0 ? INSPECT_TIMEOUT_SECONDS : input.settings.pushTimeoutSeconds,
  };
}

function indexSteps(input: MergePlanInput, env: Record<string, string>): Step[] {
  const { credentials, loginRegistry } = input.settings;
  return input.settings.images.flatMap((repository): Step[] => {
    const references = input.references.filter((reference) => reference.startsWith(`${repository}:`));
    const first = references[0];
    if (first === undefined) return [];
    const sources = [
      ...new Set(
        input.platformImages
          .filter((image) => image.repository === repository)
          .map((image) => image.reference),
      ),
    ];
    const registry = registryOf(first);
    return [
      {
        kind: 'index',
        title: `Push the index of ${sources.length} platform image${sources.length === 1 ? '' : 's'} to ${references.join(', ')}`,
        reference: first,
        references,
        registry: registry ?? DOCKER_HUB,
        loggedIn: credentials !== undefined && sameRegistry(registry, loginRegistry),
        preview: createCommand(input, sources, [], env),
        command: createCommand(input, sources, references, env),
      },
    ];
  });
}

/**
 * The ordered commands of a merge job: login, a look at every platform image (all must be there
 * before anything is pushed), the collision lookups of the tags, one `imagetools create` per
 * repository, and a check of what the registry then holds. Needs buildx (imagetools). None when it
 * pushes nothing (a fork's pull request, tags/fork-rules.ts): its `merge: later` jobs pushed no
 * platform image to find. Pure.
 */
export function makeMergePlan(input: MergePlanInput): Step[] {
  if (!input.settings.push) return [];
  if (!input.engine.buildx) {
    throw new InputError(
      'merge',
      'joins the platform images with `docker buildx imagetools create`, but this runner has only the classic `docker build`; install the buildx plugin (docker/setup-buildx-action) in the merge job',
    );
  }
  const env = commandEnv(input);
  return [
    ...loginSteps(input, env),
    ...platformImageSteps(input),
    ...lookupSteps(input),
    ...indexSteps(input, env),
    ...verifySteps(input),
  ];
}

/**
 * The index step without the moving tags the lookups left where they are (they hold a newer
 * release); none left: no step.
 */
export function indexWithoutKeptTags(step: Step & { kind: 'index' }, kept: readonly string[]): Step[] {
  const references = step.references.filter((reference) => !kept.includes(reference));
  if (references.length === step.references.length) return [step];
  const first = references[0];
  if (first === undefined) return [];
  const args = step.command.args.filter((arg, index, all) => {
    if (arg === '--tag' && kept.includes(all[index + 1] ?? '')) return false;
    return !(all[index - 1] === '--tag' && kept.includes(arg));
  });
  return [{ ...step, reference: first, references, command: { ...step.command, args } }];
}
