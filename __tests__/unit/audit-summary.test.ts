import { marked } from 'marked';
import { audit, dockerfile } from '../../__fixtures__/audit.js';
import { displayPath } from '../../src/audit/finding.js';
import { newRunRecord, type RunRecord } from '../../src/record/run-record.js';
import { renderSummary } from '../../src/report/summary.js';

const base: RunRecord = { ...newRunRecord(), references: ['acme/app:main'], push: false, dryRun: true };

describe('the job summary', () => {
  test('has no audit section when the audit is off', () => {
    expect(renderSummary(base)).not.toContain('Dockerfile audit');
  });

  test('says when the audit found nothing', () => {
    expect(renderSummary({ ...base, audit: [] })).toContain('### Dockerfile audit\n\nNo findings.');
  });

  test('lists each finding with its rule, place and message', () => {
    const summary = renderSummary({
      ...base,
      audit: [
        {
          rule: 'root-user',
          file: 'app/Dockerfile',
          line: 3,
          message: 'Runs as root: `USER root`.',
          markdown: 'Runs as root: `USER root`.',
        },
      ],
    });
    expect(summary).toContain('| `root-user` | app/Dockerfile:3 | Runs as root: `USER root`. |');
  });
});

/** What a reader sees of rendered HTML: tags dropped, entities decoded, spaces run together. */
function readerText(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|[a-z]+);/g, (entity, name: string) =>
      name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (named[name] ?? entity),
    )
    .replace(/\s+/g, ' ');
}

describe('outside text in the summary renders as text, never as Markdown or HTML', () => {
  const HOSTILE_COPY = 'COPY . /app`<img src=x onerror=alert(1)>[x](https://evil.example/)` *a* | b';
  const HOSTILE_USER = 'USER root:`![i](https://evil.example/i.png)`';

  test('Dockerfile lines quoted by the audit', () => {
    const findings = audit(
      dockerfile(
        'FROM python:3.12-slim',
        HOSTILE_COPY,
        'RUN pip install "flask<img src=y>" -r requirements.txt',
        HOSTILE_USER,
      ),
      { files: { 'requirements.txt': 'www.evil.example/[x](https://evil.example/)\n' } },
    );
    expect(findings.map((finding) => finding.rule)).toEqual(
      expect.arrayContaining(['copy-before-install', 'unpinned-pip', 'root-user']),
    );
    const html = marked.parse(renderSummary({ ...base, audit: findings }), { async: false });
    expect(html).not.toMatch(/<a[\s>]|<img|<script|<em>|<strong>/);
    const text = readerText(html);
    expect(text).toContain(HOSTILE_COPY);
    expect(text).toContain(HOSTILE_USER);
    expect(text).toContain('flask<img src=y>');
    // The audit table is still one table with three cells a row.
    const table = html.slice(html.indexOf('Dockerfile audit</h3>'));
    expect(table.match(/<tr>/g)).toHaveLength(findings.length + 1);
    expect(table.match(/<td>/g)).toHaveLength(findings.length * 3);
  });

  test('a registry error code in the Why: line', () => {
    const reason =
      'what acme/app:main holds could not be read (DENIED</p><img src=x> [login](https://evil.example/) _x_), so it is rebuilt to be safe';
    const html = marked.parse(
      renderSummary({
        ...base,
        base: { name: 'python:3.12-slim', digest: `sha256:${'b'.repeat(64)}` },
        rebuild: { rebuilt: true, reason, previousDigest: undefined },
      }),
      { async: false },
    );
    expect(html).not.toMatch(/<a[\s>]|<img|<em>/);
    expect(html).toContain(
      '<p>Why: what acme/app:main holds could not be read (DENIED&lt;/p&gt;&lt;img src=x&gt;',
    );
    expect(readerText(html)).toContain(`Why: ${reason}.`);
  });
});

describe('annotation paths', () => {
  test.each([
    ['/ws/app/Dockerfile', '/ws', 'app/Dockerfile'],
    ['/ws/Dockerfile', '/ws/', 'Dockerfile'],
    ['/elsewhere/Dockerfile', '/ws', '/elsewhere/Dockerfile'],
  ])('%s in workspace %s is shown as %s', (file, workspace, shown) => {
    expect(displayPath(file, workspace)).toBe(shown);
  });
});
