import type { RefContext } from './context.js';
import type { TagOrigin } from './run-record.js';
import { refNames, renderTags } from './tags.js';

/** A template that is one placeholder alone is named after what it stands for. */
function ruleOf(template: string, refSource: string | undefined): string {
  switch (template.trim()) {
    case '{ref}':
      return refSource ?? 'template';
    case '{branch}':
      return 'branch';
    case '{sha}':
    case '{short-sha}':
      return 'sha';
    default:
      return 'template';
  }
}

/**
 * Which template (and which rule behind `{ref}`) gave each tag, rendering the templates one by one;
 * the first template to give a tag names it.
 */
export function tagOrigins(templates: readonly string[], context: RefContext): TagOrigin[] {
  const names = refNames(context);
  const origins: TagOrigin[] = [];
  for (const template of templates) {
    const tag = renderTags([template], context).tags[0];
    if (tag === undefined || origins.some((origin) => origin.tag === tag)) continue;
    const whole =
      template.trim() === '{ref}' ? names.ref : template.trim() === '{branch}' ? names.branch : undefined;
    const rule = ruleOf(template, names.refSource);
    origins.push({ tag, source: whole ?? (rule === 'sha' ? tag : template.trim()), rule });
  }
  return origins;
}
