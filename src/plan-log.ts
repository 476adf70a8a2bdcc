import * as core from '@actions/core';
import type { Engine } from './docker.js';
import { formatCommand, type Step } from './plan.js';
import { describeTag, type RefNames, type ResolvedTag } from './tags.js';

/** Prints what the run resolved and the commands it will run (secrets only as markers). */
export function logPlan(
  names: RefNames,
  engine: Engine,
  tags: readonly ResolvedTag[],
  steps: Step[],
  dryRun: boolean,
): void {
  core.info(
    `Branch: ${names.branch ?? '(none)'}; {ref} = ${names.ref ?? '(none)'} (${names.refSource ?? 'no ref'})`,
  );
  core.info(
    `Builder: ${engine.buildx ? 'docker buildx build' : 'docker build (no buildx plugin)'}; daemon ${engine.serverVersion}`,
  );
  for (const tag of tags) core.info(`Tag: ${describeTag(tag)}`);
  core.info(dryRun ? 'Plan (dry run: nothing is run):' : 'Plan:');
  for (const step of steps) core.info(`${step.title}:\n  ${formatCommand(step.command)}`);
}
