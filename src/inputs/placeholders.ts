import { InputError } from '../shared/errors.js';

/**
 * Every placeholder a `tag` template or a `build-args` value may use, in the order error messages
 * list them. The tags stage gives each a value (or none, on a run that has none).
 */
export const PLACEHOLDERS = [
  'ref',
  'branch',
  'tag',
  'pr',
  'sha',
  'short-sha',
  'run-number',
  'date',
  'build-date',
  'version',
  'major',
  'minor',
  'patch',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The parts of a release's version: values only on a run for a semantic-version git tag. */
export const VERSION_PLACEHOLDERS: readonly Placeholder[] = ['version', 'major', 'minor', 'patch'];

/** In a tag template every `{…}` is a placeholder (a tag cannot hold braces anyway). */
const TAG_PLACEHOLDER = /\{([^{}]*)\}/g;
/**
 * In a build-arg value only `{name}` with a lower-case name is one, and not after `$`: a JSON value
 * (`{"a":1}`) or a shell-style `${name}` passes through as written.
 */
const BUILD_ARG_PLACEHOLDER = /(?<!\$)\{([a-z][a-z0-9-]*)\}/g;

export type TemplateKind = 'tag' | 'build-args';

function pattern(kind: TemplateKind): RegExp {
  return new RegExp(kind === 'tag' ? TAG_PLACEHOLDER : BUILD_ARG_PLACEHOLDER);
}

export function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/** The placeholder names a template uses, known or not, in order of appearance. */
export function placeholdersIn(template: string, kind: TemplateKind): string[] {
  return [...template.matchAll(pattern(kind))].map((match) => match[1] ?? '');
}

/** Replaces each placeholder of `template` with what `value` gives for it. */
export function replacePlaceholders(
  template: string,
  kind: TemplateKind,
  value: (name: string) => string,
): string {
  return template.replace(pattern(kind), (_match, name: string) => value(name));
}

export function knownPlaceholders(): string {
  return PLACEHOLDERS.map((name) => `{${name}}`).join(', ');
}

/**
 * An unknown placeholder is an input error, found before anything runs; `text` is the template
 * (a `tag` line) or the whole `KEY=VALUE` line of `build-args`.
 */
export function checkPlaceholders(kind: TemplateKind, text: string): void {
  const unknown = placeholdersIn(text, kind).find((name) => !isPlaceholder(name));
  if (unknown === undefined) return;
  const what = kind === 'tag' ? `template ${JSON.stringify(text)}` : `line ${JSON.stringify(text)}`;
  const literal =
    kind === 'tag' ? '' : '; braces around anything else (JSON, upper case, ${NAME}) pass through as written';
  throw new InputError(
    kind,
    `${what} uses unknown placeholder {${unknown}}; use one of ${knownPlaceholders()}${literal}`,
  );
}
