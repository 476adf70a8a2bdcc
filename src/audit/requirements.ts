import { isPinned } from './pip-command.js';

/** What a requirements file asks for, as far as pinning goes. */
export interface RequirementsFile {
  /**
   * Requirements without `==` and without `--hash`, with their 1-based line; `requirement` is the
   * project's name, undefined when the line does not start with one (it is then never quoted).
   */
  unpinned: { requirement: string | undefined; line: number }[];
  /** Files included with `-r`, relative to this one. */
  includes: string[];
  /** A constraints file (`-c`) is named: it pins the versions. */
  constrained: boolean;
}

/** Logical lines: comments removed, `\` continuations joined, each with the line it starts on. */
function logicalLines(text: string): { text: string; line: number }[] {
  const lines: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const content = raw.replace(/(^|\s)#.*$/, '');
    const continued = content.endsWith('\\');
    const piece = continued ? content.slice(0, -1) : content;
    pending =
      pending === undefined
        ? { text: piece, line: index + 1 }
        : { ...pending, text: `${pending.text} ${piece}` };
    if (!continued) {
      if (pending.text.trim() !== '') lines.push({ ...pending, text: pending.text.trim() });
      pending = undefined;
    }
  });
  if (pending !== undefined && pending.text.trim() !== '')
    lines.push({ ...pending, text: pending.text.trim() });
  return lines;
}

/**
 * A PEP 508 project name at the start of a requirement line, followed by what may follow a name
 * (extras, a version, a marker, a URL). Names on PyPI are far shorter than the bound; a longer run
 * of name characters is more likely a token than a project, so it is not quoted.
 */
const PROJECT_NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?)(?=$|[\s[(;@<>=!~,])/;

/** Reads a pip requirements file. Pure. */
export function parseRequirements(text: string): RequirementsFile {
  const file: RequirementsFile = { unpinned: [], includes: [], constrained: false };
  for (const { text: entry, line } of logicalLines(text)) {
    const option = /^(-r|--requirement|-c|--constraint)(?:\s*=?\s*)(\S+)/.exec(entry);
    if (option !== null) {
      if (option[1] === '-r' || option[1] === '--requirement') file.includes.push(option[2] ?? '');
      else file.constrained = true;
    } else if (entry.startsWith('-') || /^(\.|\/)/.test(entry) || entry.includes('--hash')) {
      // Other options, editable or local projects, and hash-checked requirements.
      continue;
    } else if (!isPinned(entry)) {
      file.unpinned.push({ requirement: PROJECT_NAME.exec(entry)?.[1], line });
    }
  }
  return file;
}
