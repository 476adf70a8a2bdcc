import { type Placeholder, placeholdersIn, replacePlaceholders } from '../inputs/placeholders.js';

export interface RenderedBuildArgs {
  /** `KEY=VALUE` lines with their placeholders filled, in input order. */
  args: string[];
  /** Lines left out because a placeholder has no value on this run: the Dockerfile's ARG default applies. */
  skipped: { line: string; placeholder: string }[];
}

/**
 * Fills the placeholders of the `build-args` values (`VERSION={version}`) with this run's values, the
 * tag templates' own. A line whose placeholder has no value on this run (`{version}` on a branch) is
 * left out, so the Dockerfile's `ARG VERSION=dev` default applies, as a template without a value is.
 */
export function renderBuildArgs(
  lines: readonly string[],
  values: Readonly<Record<Placeholder, string | undefined>>,
): RenderedBuildArgs {
  const args: string[] = [];
  const skipped: RenderedBuildArgs['skipped'] = [];
  for (const line of lines) {
    const missing = placeholdersIn(line, 'build-args').find(
      (name) => values[name as Placeholder] === undefined,
    );
    if (missing !== undefined) skipped.push({ line, placeholder: missing });
    else args.push(replacePlaceholders(line, 'build-args', (name) => values[name as Placeholder] ?? ''));
  }
  return { args, skipped };
}
