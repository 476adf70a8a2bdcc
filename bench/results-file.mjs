// bench/RESULTS.md holds the results of more than one benchmark script: each writes its own part and
// keeps the others'. A section is the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const SECTION = /<!-- bench:([\w-]+) -->\n[\s\S]*?<!-- \/bench:\1 -->\n/g;

const read = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** Writes (or replaces) section `name` of `file`, leaving the rest as it is. */
export function writeSection(file, name, markdown) {
  const block = `<!-- bench:${name} -->\n${markdown.trimEnd()}\n<!-- /bench:${name} -->\n`;
  const text = read(file);
  const others = text.replace(SECTION, (whole, found) => (found === name ? '' : whole));
  writeFileSync(file, others.trim() === '' ? block : `${others.trimEnd()}\n\n${block}`);
}

/** Writes `markdown` as the file's main text, keeping every section other scripts wrote. */
export function writeKeepingSections(file, markdown) {
  const sections = read(file).match(SECTION) ?? [];
  writeFileSync(
    file,
    [markdown.trimEnd(), ...sections.map((section) => section.trimEnd())].join('\n\n') + '\n',
  );
}
