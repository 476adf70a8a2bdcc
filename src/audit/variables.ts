import { lineage, type Stage } from '../plan/dockerfile-model.js';
import { expandVariables, unknownVariables } from '../plan/dockerfile-expand.js';

/** Where ARG values come from. */
export interface VariableScope {
  /** ARGs before the first FROM (with the platform ARGs): a stage sees them when it redeclares them. */
  globalArgs: ReadonlyMap<string, string>;
  /** `build-args` values: they override ARG defaults. */
  buildArgs: ReadonlyMap<string, string>;
}

/**
 * The variables an instruction on `line` of `stage` sees: the stage's own ARGs declared above it
 * (ARGs do not pass to later stages) and the ENV of the stage and of those it starts FROM.
 */
export function variablesAt(stage: Stage, line: number, scope: VariableScope): Map<string, string> {
  const env = new Map<string, string>();
  let args = new Map<string, string>();
  for (const ancestor of lineage(stage).reverse()) {
    args = new Map();
    for (const step of ancestor.steps) {
      if (ancestor === stage && step.line >= line) break;
      const visible = new Map([...args, ...env]);
      for (const [name, value] of step.args) {
        const resolved =
          scope.buildArgs.get(name) ??
          (value === undefined ? scope.globalArgs.get(name) : expandVariables(value, visible));
        if (resolved !== undefined) args.set(name, resolved);
      }
      for (const [name, value] of step.env) env.set(name, expandVariables(value, visible));
    }
  }
  // An ENV wins over an ARG of the same name.
  return new Map([...args, ...env]);
}

/** `text` with its variables substituted; undefined when one has no value the audit can know. */
export function expandAt(text: string, stage: Stage, line: number, scope: VariableScope): string | undefined {
  const values = variablesAt(stage, line, scope);
  return unknownVariables(text, values).length > 0 ? undefined : expandVariables(text, values);
}
