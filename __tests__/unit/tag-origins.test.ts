import { tagOrigins } from '../../src/tag-origins.js';
import { refContext, SHA } from './helpers.js';

describe('tagOrigins: which rule gave each tag', () => {
  const pr = { number: 12, headRef: 'feature/x', baseRef: 'main', fromFork: false };
  it.each([
    [
      'branch',
      ['{ref}'],
      refContext({ gitBranch: 'feature/Login-Page' }),
      [{ tag: 'feature-Login-Page', source: 'feature/Login-Page', rule: 'branch' }],
    ],
    [
      'pull request',
      ['{ref}'],
      refContext({ pullRequest: pr }),
      [{ tag: 'pr-12', source: 'pr-12', rule: 'pull request' }],
    ],
    [
      'git tag',
      ['{ref}'],
      refContext({ gitBranch: undefined, ref: 'refs/tags/v1.2.3' }),
      [{ tag: 'v1.2.3', source: 'v1.2.3', rule: 'tag' }],
    ],
    [
      'several templates; a duplicate keeps the first; a skipped one gives nothing',
      ['{ref}', '{branch}', '{short-sha}', 'build-{short-sha}'],
      refContext({ gitBranch: undefined, ref: 'refs/tags/v1', sha: SHA }),
      [
        { tag: 'v1', source: 'v1', rule: 'tag' },
        { tag: '0123456', source: '0123456', rule: 'sha' },
        { tag: 'build-0123456', source: 'build-{short-sha}', rule: 'template' },
      ],
    ],
  ] as const)('%s', (_label, templates, context, origins) => {
    expect(tagOrigins(templates, context)).toEqual(origins);
  });
});
