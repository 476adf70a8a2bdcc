import { lineage } from '../dockerfile-model.js';
import type { Rule } from './rule.js';

function isRoot(user: string): boolean {
  const name = user.trim().split(':', 1)[0];
  return name === 'root' || name === '0';
}

/** The final stage (with the stages it starts from) must end on a USER that is not root. */
export const rootUser: Rule = ({ final }) => {
  for (const stage of lineage(final)) {
    const user = stage.steps.filter((step) => step.keyword === 'USER').at(-1);
    if (user === undefined) continue;
    if (!isRoot(user.text)) return [];
    return [
      {
        rule: 'root-user',
        line: user.line,
        message: `\`USER ${user.text.trim()}\` is the last USER of the final stage, so the container runs as root: end with \`USER <non-root user>\` (e.g. one made with \`useradd --create-home appuser\`).`,
      },
    ];
  }
  // Images such as distroless :nonroot already switch to a non-root user.
  if (/nonroot/i.test(lineage(final).at(-1)?.image ?? '')) return [];
  return [
    {
      rule: 'root-user',
      line: final.fromLine,
      message:
        'The final stage has no USER, so the container runs as root: create a user (e.g. `RUN useradd --create-home appuser`) and add `USER appuser` after the install steps.',
    },
  ];
};
