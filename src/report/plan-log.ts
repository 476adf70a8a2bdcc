import * as core from '@actions/core';
import type { Engine } from '../docker/engine-info.js';
import { formatCommand, type Step } from '../plan/plan.js';
import { describeTag, type RefNames, type ResolvedTag } from '../tags/tags.js';

/** Prints what the run resolved and the commands it will run (secrets only as markers). */
export function logPlan(
  names: RefNames,
  engine: Engine,
  tags: readonly ResolvedTag[],
  steps: Step[],
  dryRun: boolean,
): void {
  // One write for all lines: each write to the runner's pipe is a system call.
  core.info(
    [
      `Branch: ${names.branch ?? '(none)'}; {ref} = ${names.ref ?? '(none)'} (${names.refSource ?? 'no ref'})`,
      `Builder: ${engine.buildx ? 'docker buildx build' : 'docker build (no buildx plugin)'}; daemon ${engine.serverVersion}`,
      ...tags.map((tag) => `Tag: ${describeTag(tag)}`),
      dryRun ? 'Plan (dry run: nothing is run):' : steps.length === 0 ? 'Plan: nothing to run.' : 'Plan:',
      ...steps.map(
        (step) =>
          `${step.title}:\n  ${'command' in step ? formatCommand(step.command) : `registry API: GET ${step.reference}`}`,
      ),
      ...steps.flatMap((step) =>
        step.kind === 'build' && step.notReproducible !== undefined
          ? [`Not reproducible: ${step.notReproducible}.`]
          : [],
      ),
    ].join('\n'),
  );
}
