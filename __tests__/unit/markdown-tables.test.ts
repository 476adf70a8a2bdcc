// Every table in the docs renders as one table on GitHub: no row falls out of its table into plain
// text (a blank line inside a table does that), and every row has as many cells as the header.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Lexer, type Token, type Tokens } from 'marked';

const ROOT = path.resolve(import.meta.dirname, '../..');

function markdownFiles(): string[] {
  const inFolder = (folder: string) =>
    readdirSync(path.join(ROOT, folder))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `${folder}/${name}`);
  return ['README.md', ...inFolder('docs'), ...inFolder('bench')];
}

/** A row's cells as GFM splits them: between pipes that no backslash escapes. */
function cellCount(row: string): number {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/).length;
}

const looksLikeRow = (line: string) => /^\s*\|.*\|\s*$/.test(line);

/** What is wrong with the tables of a markdown text; empty when every table renders whole. */
function tableProblems(markdown: string): string[] {
  const problems: string[] = [];
  const visit = (tokens: readonly Token[]) => {
    for (const token of tokens) {
      if (token.type === 'table') {
        const table = token as Tokens.Table;
        const lines = table.raw.trimEnd().split('\n');
        const header = table.header.length;
        for (const line of lines)
          if (cellCount(line) !== header) problems.push(`${cellCount(line)} cells, not ${header}: ${line}`);
      } else if (token.type === 'paragraph' || token.type === 'text') {
        for (const line of token.raw.split('\n'))
          if (looksLikeRow(line)) problems.push(`a row outside any table: ${line}`);
      } else if (token.type === 'list') {
        for (const item of (token as Tokens.List).items) visit(item.tokens);
      } else if (token.type !== 'code' && token.type !== 'html' && 'tokens' in token && token.tokens) {
        visit(token.tokens);
      }
    }
  };
  visit(new Lexer({ gfm: true }).lex(markdown));
  return problems;
}

describe('tableProblems', () => {
  const table = ['| input | default |', '| --- | --- |', '| `image` | required |'];

  it('finds nothing wrong with a whole table, or a pipe in a code block or escaped in a cell', () => {
    const escaped = '| `a \\| b` | x |';
    expect(
      tableProblems([...table, escaped, '', '```', '| not | a | table |', '```', ''].join('\n')),
    ).toEqual([]);
  });

  it('finds the rows a blank line cut off the table', () => {
    expect(tableProblems([...table, '', '| `semver` | `true` |', ''].join('\n'))).toEqual([
      'a row outside any table: | `semver` | `true` |',
    ]);
  });

  it('finds a row with a cell too many or too few, in a list too', () => {
    const rows = ['- item', '', '  | a | b |', '  | - | - |', '  | 1 | 2 | 3 |', '  | 1 |', ''];
    expect(tableProblems(rows.join('\n'))).toEqual([
      '3 cells, not 2: | 1 | 2 | 3 |',
      '1 cells, not 2: | 1 |',
    ]);
  });
});

describe.each(markdownFiles())('%s', (file) => {
  it('has tables that render whole', () => {
    expect(tableProblems(readFileSync(path.join(ROOT, file), 'utf8'))).toEqual([]);
  });
});
