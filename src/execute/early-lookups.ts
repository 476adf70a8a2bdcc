import type { Engine } from '../docker/docker.js';
import { prefetchFirstLookups } from './executor.js';
import { makePlan, type PlanInput, type Step } from '../plan/plan.js';
import type { PrefetchingReader } from '../registry/registry-reader.js';

/** The engine as far as the plan's lookups are concerned before /info: the daemon's defaults. */
const DAEMON_DEFAULTS: Engine = { buildx: true, serverVersion: 'unknown' };

/**
 * The daemon's /info, which lists the registries it reaches over plain HTTP, answers tens of
 * milliseconds after git; the plan's first lookups need nothing else from it. They go out as soon
 * as git has answered, for the daemon's default list (127.0.0.0/8 over HTTP, any other registry over
 * HTTPS). Where the daemon's own list makes a lookup differ, the real plan asks the reader for a
 * different request, which is read then; the early read is never used.
 */
export function prefetchBeforeProbe(input: Omit<PlanInput, 'engine'>, reader: PrefetchingReader): void {
  let steps: Step[];
  try {
    steps = makePlan({ ...input, engine: DAEMON_DEFAULTS });
  } catch {
    return; // settings the real plan rejects, with its own error
  }
  prefetchFirstLookups(steps, reader);
}
