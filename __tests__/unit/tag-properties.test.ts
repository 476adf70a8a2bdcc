import fc from 'fast-check';
import { refContextOf, type RunnerFixtureName } from '../../__fixtures__/runner.js';
import { InputError } from '../../src/shared/errors.js';
import { resolveTags } from '../../src/tags/resolve-tags.js';
import type { LatestPolicy } from '../../src/inputs/settings.js';
import { TAG_PATTERN } from '../../src/shared/image-reference.js';
import { compactDate, TagError } from '../../src/tags/tags.js';

const PLACEHOLDERS = ['{ref}', '{branch}', '{tag}', '{pr}', '{sha}', '{short-sha}', '{run-number}', '{date}'];
const template = fc
  .array(fc.oneof(fc.constantFrom(...PLACEHOLDERS), fc.string({ maxLength: 6 })), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => parts.join('').replace(/[{}\r\n]/g, ''))
  .filter((text) => text.trim() !== '' && !text.trim().startsWith('#'));
const fixture = fc.constantFrom<RunnerFixtureName>(
  'push-feature-branch',
  'pull-request-fork',
  'tag-v1.2.3',
  'tag-v2.0.0-rc.1',
  'schedule',
);

describe('resolveTags, for any templates, branch and date', () => {
  it('gives unique valid tags, or a clear error', () => {
    fc.assert(
      fc.property(
        fixture,
        fc.array(template, { minLength: 1, maxLength: 4 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        fc.constantFrom<LatestPolicy>('auto', 'always', 'never'),
        (name, templates, branch, now, latest) => {
          const context = { ...refContextOf(name), gitBranch: branch };
          try {
            const { tags } = resolveTags(
              { tagTemplates: templates.map((t) => t.trim()), semver: true, latest },
              context,
              now,
            );
            for (const { tag } of tags) expect(tag).toMatch(TAG_PATTERN);
            expect(new Set(tags.map((t) => t.tag)).size).toBe(tags.length);
          } catch (error) {
            expect(error instanceof TagError || error instanceof InputError).toBe(true);
          }
        },
      ),
    );
  });

  it('writes {date} as the UTC day, YYYYMMDD', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (now) => {
          const date = compactDate(now);
          expect(date).toMatch(/^\d{8}$/);
          expect(date).toBe(
            `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}${String(now.getUTCDate()).padStart(2, '0')}`,
          );
        },
      ),
    );
  });

  it('takes {date} in UTC, not in the runner’s time zone', () => {
    expect(compactDate(new Date('2026-01-01T00:30:00+02:00'))).toBe('20251231');
  });
});
