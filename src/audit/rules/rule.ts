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
  /** Text of a file in the build context, by path relative to it; undefined when there is none. */
  readContextFile: (relativePath: string) => string | undefined;
}

export type Rule = (build: AuditedBuild) => RuleFinding[];

/** How many items a finding names before it says "and N more". */
export const SHOWN_ITEMS = 5;

/** `a, b, c, d, e and 7 more`: a list short enough for an annotation. */
export function shortList(items: string[], shown = SHOWN_ITEMS): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}
