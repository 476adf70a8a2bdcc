import { parseImageRef } from '../shared/image-reference.js';
import { markdownCode as code, markdownText } from '../shared/markdown.js';
import type { RunRecord } from '../record/run-record.js';

/** Past this many references, the full list goes into a collapsed table. */
export const LISTED_REFERENCES = 10;
/** Tags named per repository in the visible line. */
const TAGS_SHOWN = 8;

const repositoryOf = (reference: string): string => parseImageRef(reference).name;
const tagOf = (reference: string): string => parseImageRef(reference).tag ?? '';

function table(record: RunRecord): string[] {
  const digests = new Map(record.digests);
  const notPushed = record.dryRun ? 'dry run' : record.push ? 'not pushed' : 'push: false';
  const rows = record.references.map((reference) => {
    const tag = tagOf(reference);
    const origin = record.tags.find((t) => t.tag === tag);
    const from =
      origin === undefined
        ? ''
        : `${origin.source === tag ? '' : `${code(origin.source)} → `}${code(tag)} (${markdownText(origin.rule)})`;
    const digest = digests.get(reference);
    const held = record.kept.includes(reference) ? 'kept: holds a newer image' : notPushed;
    return `| ${code(reference)} | ${from} | ${digest === undefined ? held : code(digest)} |`;
  });
  return ['| reference | tag from | digest |', '| --- | --- | --- |', ...rows];
}

/** Each repository with its tags on one line; the whole table, collapsed past about ten references. */
export function referenceSection(record: RunRecord): string[] {
  if (record.references.length === 0) return [];
  const repositories = [...new Set(record.references.map(repositoryOf))];
  const unchanged =
    record.alreadyInRegistry.length === 0
      ? []
      : ['', 'The registry already held this very image at these tags, so nothing needed uploading.'];
  if (record.references.length <= LISTED_REFERENCES) return ['', ...table(record), ...unchanged];
  const lines = repositories.map((repository) => {
    const tags = record.references.filter((r) => repositoryOf(r) === repository).map(tagOf);
    const shown = tags.slice(0, TAGS_SHOWN).map(code).join(', ');
    const more = tags.length > TAGS_SHOWN ? ` and ${tags.length - TAGS_SHOWN} more` : '';
    return `- ${code(repository)}: ${shown}${more}`;
  });
  const digests = new Set(record.digests.values());
  const same =
    digests.size === 1
      ? [`All ${record.digests.size} pushed tags hold ${code(([...digests][0] ?? '').slice(0, 19))}.`]
      : [];
  return [
    '',
    '**Tags:**',
    '',
    ...lines,
    ...(same.length > 0 ? ['', ...same] : []),
    ...unchanged,
    '',
    '<details>',
    `<summary>All ${record.references.length} references</summary>`,
    '',
    ...table(record),
    '',
    '</details>',
  ];
}
