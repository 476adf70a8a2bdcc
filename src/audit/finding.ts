import type { RuleId } from '../inputs/audit-inputs.js';

/** One broken rule: where it is and how to fix it. */
export interface Finding {
  rule: RuleId;
  /** The Dockerfile's path: absolute in the audit, relative to the workspace once reported. */
  file: string;
  /** 1-based line of the instruction that breaks the rule. */
  line: number;
  /** What is wrong and the fix, in one or two sentences. */
  message: string;
}

/** A finding before the audit knows which file it is in. */
export type RuleFinding = Omit<Finding, 'file'>;
