// The plan stage: the settings, the ref, the names and the facts read about the world -> the ordered
// steps, and the files the executor writes into the job's folder before the first of them. A merge
// job differs only in its steps (merge-plan.ts): it builds nothing, so it has no base and no
// Dockerfile copy. Pure.
import * as path from 'node:path';
import type { RefContext } from '../context/ref-context.js';
import type { Engine } from '../docker/engine-info.js';
import { stepLogins } from '../inputs/logins.js';
import type { Settings } from '../inputs/settings.js';
import type { RemoteRead } from '../registry/registry-reader.js';
import { collisionPolicy } from '../tags/fork-rules.js';
import { platformImages } from '../tags/platform-tags.js';
import { type ImageNames, referenceMotions } from '../tags/resolve-tags.js';
import { type BaseDecision, type BaseOutcome, decideBase } from './base-decision.js';
import { defaultBranchImage, registryCacheImages } from './cache-images.js';
import { labelledDockerfile } from './classic-labels.js';
import { makeMergePlan } from './merge-plan.js';
import { makePlan, type PlanInput, type Step } from './plan.js';

/** What the facts stage read about the world, once, for the plan. */
export interface WorldFacts {
  engine: Engine;
  /** Docker context that `builder` names (a docker-driver builder); undefined otherwise. */
  dockerContext: string | undefined;
  /** The build's base image; undefined for a merge job, which builds nothing. */
  base: BaseOutcome | undefined;
  /** What the first tag holds now: read only for `rebuild: base-changed` on a real run. */
  existing: RemoteRead | undefined;
  /** This run's private folder, to be made by the executor (mode 0700) under RUNNER_TEMP. */
  jobDir: string;
  /** The in-image test's container: a name no other run on this daemon uses. */
  testContainer: string;
}

/** The job's private folder as the executor makes it, before the first step; removed after the last. */
export interface JobFolder {
  dir: string;
  /** This job's DOCKER_CONFIG (`<dir>/docker-config`) and the registries it logs in to; undefined: no login. */
  dockerConfig: { dir: string; registries: (string | undefined)[] } | undefined;
  /** Files written as they are (mode 0600): the classic builder's labelled Dockerfile. */
  files: { path: string; text: string }[];
  /** The in-image test's container, for the post step to remove if main could not; undefined: no such test. */
  testContainer: string | undefined;
}

export interface JobPlan {
  steps: Step[];
  engine: Engine;
  /** The image's labels, the base image's included. */
  labels: Record<string, string>;
  /** What the plan made of the base image; undefined for a merge job. */
  base: BaseDecision | undefined;
  folder: JobFolder;
}

export interface JobPlanInput {
  settings: Settings;
  /** The Dockerfile's text (undefined: it could not be read, or a merge job). */
  dockerfile: string | undefined;
  context: RefContext;
  names: ImageNames;
  facts: WorldFacts;
}

/** The plan of a build job, or of a merge job (`merge: <platforms>`). */
export function planJob({ settings, dockerfile, context, names, facts }: JobPlanInput): JobPlan {
  const logins = stepLogins(settings);
  const dockerConfig = logins.length === 0 ? undefined : path.join(facts.jobDir, 'docker-config');
  const common: PlanInput = {
    settings,
    engine: facts.engine,
    references: names.references,
    labels: names.labels,
    collisionPolicy: collisionPolicy(settings.onCollision, context), // strict on a fork's pull request
    motions: referenceMotions(settings.images, names.tags),
    dockerContext: facts.dockerContext,
    jobDir: facts.jobDir,
    dockerConfig,
    testContainer: facts.testContainer,
  };
  const folder: JobFolder = {
    dir: facts.jobDir,
    dockerConfig:
      dockerConfig === undefined
        ? undefined
        : { dir: dockerConfig, registries: logins.map((login) => login.registry) },
    files: [],
    testContainer: settings.testInImage === undefined ? undefined : facts.testContainer,
  };
  if (settings.merge?.kind === 'platforms') {
    const steps = makeMergePlan({
      ...common,
      platformImages: platformImages(settings.images, context, settings.merge.platforms),
    });
    return { steps, engine: facts.engine, labels: names.labels, base: undefined, folder };
  }
  const base = decideBase({
    base: facts.base ?? { kind: 'none', why: 'the Dockerfile was not read' },
    existing: facts.existing,
    reference: names.references[0],
    policy: settings.rebuild,
    labels: names.labels,
  });
  // The classic builder takes its labels from a copy of the Dockerfile (see classic-labels.ts).
  const labelled = facts.engine.buildx ? undefined : path.join(facts.jobDir, 'Dockerfile.labelled');
  if (labelled !== undefined) {
    folder.files.push({
      path: labelled,
      text: labelledDockerfile(dockerfile ?? '', base.labels, settings.target),
    });
  }
  const cache = registryCacheImages(settings, context);
  const steps = makePlan({
    ...common,
    labels: base.labels,
    pullBase: base.pullBase,
    upToDate: base.upToDate !== undefined,
    cacheImages: cache.images,
    stageCaches: cache.stages,
    defaultImage: defaultBranchImage(settings, context),
    labelledDockerfile: labelled,
    commitTime: context.commitTime,
  });
  return { steps, engine: facts.engine, labels: base.labels, base, folder };
}
