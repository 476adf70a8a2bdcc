import { lineage } from '../../plan/dockerfile-model.js';
import { isPythonStage } from '../run-steps.js';
import { say } from '../message.js';
import type { Rule } from './rule.js';

/** A Python final image sets PYTHONFAULTHANDLER, so that crashes in C code print a traceback. */
export const noFaulthandler: Rule = ({ final, stages }) => {
  if (!isPythonStage(final, stages)) return [];
  const set = lineage(final).some((stage) =>
    stage.steps.some((step) =>
      step.env.some(([name, value]) => name === 'PYTHONFAULTHANDLER' && value !== ''),
    ),
  );
  if (set) return [];
  return [
    {
      rule: 'no-faulthandler',
      line: final.fromLine,
      message: say`The final stage is a Python image without PYTHONFAULTHANDLER: a crash in C code (a segfault in an extension) leaves no traceback. Add \`ENV PYTHONFAULTHANDLER=1\`.`,
    },
  ];
};
