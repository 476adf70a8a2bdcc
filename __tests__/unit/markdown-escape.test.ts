// Outside text in the job summary renders as exactly that text, inside the element meant for it:
// checked with a real Markdown renderer (marked, GitHub-flavoured) on hostile and random strings.
import fc from 'fast-check';
import { marked } from 'marked';
import { markdownCode, markdownText } from '../../src/shared/markdown.js';

/** The text a reader sees: control characters other than tab and line breaks shown as U+FFFD. */
const shown = (text: string): string => text.replace(/(?![\t\n\r])\p{Cc}/gu, '\uFFFD');

const render = (markdown: string): string => marked.parse(markdown, { async: false, gfm: true });

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

/**
 * The text of an HTML fragment that must hold no element: entities decoded as a browser does;
 * undefined when it holds a tag or a stray `&`.
 */
function textOf(fragment: string): string | undefined {
  const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi;
  if (/[<>]/.test(fragment) || fragment.replace(ENTITY, '').includes('&')) return undefined;
  return fragment.replace(ENTITY, (entity, name: string) => {
    if (/^#x/i.test(name)) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return NAMED[name] ?? entity;
  });
}

/** What `html` shows between `open` and `close`, when that is all it is; undefined otherwise. */
function inside(html: string, open: string, close: string): string | undefined {
  return html.startsWith(open) && html.endsWith(close)
    ? textOf(html.slice(open.length, html.length - close.length))
    : undefined;
}

const paragraph = (markdown: string): string | undefined => inside(render(markdown), '<p>', '</p>\n');
const codeInParagraph = (markdown: string): string | undefined =>
  inside(render(markdown), '<p><code>', '</code></p>\n');

/** A one-row table whose only cell holds `cell`. */
const CELL_OPEN = '<table>\n<thead>\n<tr>\n<th>head</th>\n</tr>\n</thead>\n<tbody><tr>\n<td>';
const CELL_CLOSE = '</td>\n</tr>\n</tbody></table>\n';
const cell = (markdown: string): string | undefined =>
  inside(render(`| head |\n| --- |\n| ${markdown} |\n`), CELL_OPEN, CELL_CLOSE);
const codeInCell = (markdown: string): string | undefined =>
  inside(render(`| head |\n| --- |\n| ${markdown} |\n`), `${CELL_OPEN}<code>`, `</code>${CELL_CLOSE}`);

const HOSTILE = [
  'COPY `x` [click](https://evil.example/) ![i](https://evil.example/x.png) .',
  '<img src=x onerror=alert(1)> <a href="https://evil.example">a</a> <script>x</script>',
  'err | col | **bold** _it_ ~~gone~~ $x^2$ &amp; &#60;',
  'www.evil.example and https://evil.example/path and mail@evil.example',
  '# heading',
  '1. list',
  '- item',
  '> quote',
  '```',
  '    indented code',
  'two\nlines\r\nand\ttab',
  ' space at the ends ',
  '[ref]: https://evil.example',
  '\\`escaped\\` \\',
];

describe('markdownText', () => {
  test.each(HOSTILE)('%j renders as itself in a paragraph and a table cell', (text) => {
    expect(paragraph(markdownText(text))).toBe(shown(text));
    expect(cell(markdownText(text))).toBe(shown(text));
  });

  test('a registry error code and a Dockerfile line make no link, image or HTML in the summary line', () => {
    const line = render(`Why: ${markdownText('DENIED</p><img src=x> [x](https://evil.example)')}.`);
    expect(line).not.toMatch(/<a|<img|<\/p><|<script/);
    expect(line).toBe('<p>Why: DENIED&lt;/p&gt;&lt;img src=x&gt; [x](https://evil.example).</p>\n');
  });

  test('any string renders as exactly that text in a paragraph', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (text) => {
        expect(paragraph(markdownText(text))).toBe(shown(text));
      }),
      { numRuns: 2000 },
    );
  });

  test('any string renders as exactly that text in a table cell', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (text) => {
        expect(cell(markdownText(text))).toBe(shown(text));
      }),
      { numRuns: 2000 },
    );
  });
});

/** Strings made of the characters Markdown cares about, so that the contextual rules meet often. */
const MARKDOWNISH = fc.string({
  unit: fc.constantFrom(...'a1é _*`\\[]()!<>&#-+=.:/w~|$@;\n\t'.split('')),
  minLength: 1,
  maxLength: 30,
});

test('strings of Markdown characters render as exactly themselves, as text and as code', () => {
  fc.assert(
    fc.property(MARKDOWNISH, (text) => {
      expect(paragraph(markdownText(text))).toBe(shown(text));
      expect(cell(markdownText(text))).toBe(shown(text));
      expect(codeInParagraph(markdownCode(text))).toBe(shown(text));
      expect(codeInCell(markdownCode(text))).toBe(shown(text));
    }),
    { numRuns: 5000 },
  );
});

describe('markdownCode', () => {
  test.each([
    ['python:3.12-slim', '`python:3.12-slim`'],
    ['a|b', '<code>a\\|b</code>'],
    ['x `y`', '<code>x \\`y\\`</code>'],
  ])('%j is written as %s', (text, markdown) => {
    expect(markdownCode(text)).toBe(markdown);
  });

  test.each(HOSTILE)('%j renders as one code element holding exactly it', (text) => {
    expect(codeInParagraph(markdownCode(text))).toBe(shown(text));
    expect(codeInCell(markdownCode(text))).toBe(shown(text));
  });

  test('any string renders as one code element holding exactly it, in a paragraph and a table cell', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(codeInParagraph(markdownCode(text))).toBe(shown(text));
        expect(codeInCell(markdownCode(text))).toBe(shown(text));
      }),
      { numRuns: 2000 },
    );
  });
});
