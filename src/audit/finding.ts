import type { Message } from './message.js';
import type { RuleId } from './rule-ids.js';

/** One broken rule: where it is and how to fix it. */
export interface Finding {
  rule: RuleId;
  /** The Dockerfile's path: absolute in the audit, relative to the workspace once reported. */
  file: string;
  /** 1-based line of the instruction that breaks the rule. */
  line: number;
  /** What is wrong and the fix, in one or two sentences (backticks around code, as written). */
  message: string;
  /** The same as Markdown for the job summary, with every quoted piece of the Dockerfile escaped. */
  markdown: string;
}

/** A finding as a rule makes it, before the audit knows which file it is in. */
export interface RuleFinding {
  rule: RuleId;
  line: number;
  message: Message;
}
