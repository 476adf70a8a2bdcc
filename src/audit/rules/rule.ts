import type { Stage } from '../dockerfile-model.js';
import type { RuleFinding } from '../finding.js';

/** What the rules look at: the stages that are built and the one the image is made of. */
export interface AuditedBuild {
  /** Stages in Dockerfile order, up to and including the final one. */
  stages: Stage[];
  /** The `target` stage when one is set, else the last stage. */
  final: Stage;
  /** Text of a file in the build context, by path relative to it; undefined when there is none. */
  readContextFile: (relativePath: string) => string | undefined;
}

export type Rule = (build: AuditedBuild) => RuleFinding[];
