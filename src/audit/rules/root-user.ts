import { lineage } from '../../plan/dockerfile-model.js';
import { expandAt } from '../variables.js';
import { code, say } from '../message.js';
import type { Rule } from './rule.js';

function isRoot(user: string): boolean {
  const name = user.trim().split(':', 1)[0];
  return name === 'root' || name === '0';
}

/**
 * The final stage (with the stages it starts from) must end on a USER that is not root. A USER
 * given by variables is read with their values (`ARG UID=0` then `USER $UID` is root); one whose
 * value the audit cannot know is left alone.
 */
export const rootUser: Rule = ({ final, variables }) => {
  for (const stage of lineage(final)) {
    const user = stage.steps.filter((step) => step.keyword === 'USER').at(-1);
    if (user === undefined) continue;
    const written = user.text.trim();
    const value = expandAt(written, stage, user.line, variables);
    if (value === undefined || !isRoot(value)) return [];
    const shown =
      value === written
        ? code(`USER ${written}`)
        : say`${code(`USER ${written}`)} (${code(value)} by default)`;
    return [
      {
        rule: 'root-user',
        line: user.line,
        message: say`${shown} is the last USER of the final stage, so the container runs as root: end with \`USER <non-root user>\` (e.g. one made with \`useradd --create-home appuser\`).`,
      },
    ];
  }
  // Images such as distroless :nonroot already switch to a non-root user.
  if (/nonroot/i.test(lineage(final).at(-1)?.image ?? '')) return [];
  return [
    {
      rule: 'root-user',
      line: final.fromLine,
      message: say`The final stage has no USER, so the container runs as root: create a user (e.g. \`RUN useradd --create-home appuser\`) and add \`USER appuser\` after the install steps.`,
    },
  ];
};
