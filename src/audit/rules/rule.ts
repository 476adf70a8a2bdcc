import type { Stage } from '../../plan/dockerfile-model.js';
import type { RuleFinding } from '../finding.js';
import type { VariableScope } from '../variables.js';

/** What the rules look at: the stages that are built and the one the image is made of. */
export interface AuditedBuild {
  /**
   * Stages the build runs, in Dockerfile order: the final one and those it depends on through
   * FROM, `COPY --from` or `RUN --mount=from`. Stages nothing depends on are skipped, like BuildKit does.
   */
  stages: Stage[];
  /** The `target` stage when one is set, else the last stage. */
  final: Stage;
  /**
   * The final stage and the stages it starts FROM: their layers are the image. A builder stage
   * that is only copied from ships just the copied files.
   */
  shipped: Stage[];
  /** ARG values for expanding variables in instructions. */
  variables: VariableScope;
  /** Stages whose FROM image has a variable or expansion the audit cannot resolve. */
  unknownBases: ReadonlySet<Stage>;
  /** Text of a file in the build context, by path relative to it; undefined when there is none. */
  readContextFile: (relativePath: string) => string | undefined;
}

export type Rule = (build: AuditedBuild) => RuleFinding[];
