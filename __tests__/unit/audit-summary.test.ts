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
        { rule: 'root-user', file: 'app/Dockerfile', line: 3, message: 'Runs as root | fix: `USER app`.' },
      ],
    });
    expect(summary).toContain('| `root-user` | app/Dockerfile:3 | Runs as root \\| fix: `USER app`. |');
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
