import type { Engine } from '../docker/engine-info.js';
import type { Settings } from '../inputs/settings.js';
import type { BuildOutput } from './build-flags.js';

/**
 * How this build makes the same commit give the same image: BuildKit stamps the image config (and,
 * with rewrite-timestamp, the layers' files) with SOURCE_DATE_EPOCH instead of the build's clock.
 */
export interface Reproducibility {
  /**
   * Seconds since the epoch, given to the image exporter (`source-date-epoch`); undefined: none is
   * added. Not a SOURCE_DATE_EPOCH build-arg: BuildKit's Dockerfile frontend stamps every COPY, ADD
   * and WORKDIR with that, so each new commit would miss the cache from the first of them on.
   */
  sourceDateEpoch: number | undefined;
  /**
   * Clamp the layers' file times too. Only an image exporter that pushes and does not unpack accepts
   * it: a builder of its own (docker-container, remote, kubernetes) pushing several platforms. The
   * docker driver always unpacks into the containerd image store ("exporter option rewrite-timestamp
   * conflicts with unpack"), and docker's own store cannot hold several platforms at all.
   */
  rewriteTimestamp: boolean;
  /**
   * Build without the provenance attestation buildx adds by default: it records when the build
   * started and ended, so an index holding it (the image id on the containerd image store, and
   * what buildx pushes) would differ on every build of the same commit.
   */
  withoutProvenance: boolean;
  /** Why this engine cannot make the image reproducible, said once in the log; undefined: it can. */
  limit: string | undefined;
}

/** BuildKit reads SOURCE_DATE_EPOCH from 0.11 on, first shipped inside dockerd 23.0. */
const FIRST_DAEMON_WITH_EPOCH = 23;

export function daemonMajor(serverVersion: string): number | undefined {
  const major = /^(\d+)\./.exec(serverVersion)?.[1];
  return major === undefined ? undefined : Number(major);
}

/** The commit's time (ISO 8601, as git prints `%cI`) in whole seconds since the epoch. */
export function epochSeconds(commitTime: string | undefined): number | undefined {
  if (commitTime === undefined) return undefined;
  const millis = Date.parse(commitTime);
  return Number.isNaN(millis) ? undefined : Math.floor(millis / 1000);
}

/** Why buildx on docker's own image store cannot make a reproducible image without losing the cache. */
export const OVERLAY2_LIMIT =
  "docker's own (overlay2) image store ignores the commit time given to its image exporter, and as a SOURCE_DATE_EPOCH build-arg it would change every COPY, ADD and WORKDIR on each commit, so nothing after the first of them would come from the cache; the image carries the build's time (the containerd image store or a builder of its own makes it reproducible)";

const NONE: Reproducibility = {
  sourceDateEpoch: undefined,
  rewriteTimestamp: false,
  withoutProvenance: false,
  limit: undefined,
};

export function reproducibility(
  settings: Pick<Settings, 'buildArgs' | 'builder'> & { reproducible: boolean },
  engine: Engine,
  output: BuildOutput,
  commitTime: string | undefined,
  /** The build runs in a builder of its own, not the docker driver of the daemon or a docker context. */
  ownBuilder = false,
): Reproducibility {
  if (!settings.reproducible) return NONE;
  if (!engine.buildx) {
    return {
      ...NONE,
      limit:
        'the classic `docker build` stamps the image with the time it was built, so a rebuild of this commit gives a new image id; buildx makes it reproducible',
    };
  }
  const major = daemonMajor(engine.serverVersion);
  // A named builder has its own BuildKit; the daemon's only matters for the docker driver.
  if (settings.builder === undefined && major !== undefined && major < FIRST_DAEMON_WITH_EPOCH) {
    return {
      ...NONE,
      limit: `Docker ${engine.serverVersion}'s BuildKit ignores SOURCE_DATE_EPOCH (Docker 23 and later read it), so a rebuild of this commit gives a new image id`,
    };
  }
  // A SOURCE_DATE_EPOCH of the user's own is theirs, cache keys and all.
  const own = settings.buildArgs.some((arg) => arg.startsWith('SOURCE_DATE_EPOCH='));
  const epoch = own ? undefined : epochSeconds(commitTime);
  if (!own && epoch === undefined) {
    return { ...NONE, limit: 'git could not tell the commit time, so the image carries the build time' };
  }
  // Docker's own (overlay2) image store: its exporter ignores `source-date-epoch` (Docker 28.5).
  if (!own && !ownBuilder && engine.containerdStore !== true) {
    // Built as a reproducible build is otherwise (no provenance, no cache pull): a re-run of the
    // commit still takes every layer from the registry cache; only the config's time differs.
    return { ...NONE, withoutProvenance: true, limit: OVERLAY2_LIMIT };
  }
  return {
    sourceDateEpoch: epoch,
    rewriteTimestamp: output === 'push' && ownBuilder,
    withoutProvenance: true,
    limit: undefined,
  };
}
