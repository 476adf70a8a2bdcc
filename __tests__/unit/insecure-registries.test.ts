import type { Engine } from '../../src/docker/engine-info.js';
import { isInsecureRegistry } from '../../src/plan/insecure-registries.js';
import { sourceRef, SOURCE_REF_LABEL, imageLabels } from '../../src/tags/labels.js';
import { refContext } from './helpers.js';

describe('isInsecureRegistry', () => {
  const engine: Engine = { buildx: false, serverVersion: '20.10' };
  it.each([
    ['127.0.0.1:5000', engine, true],
    ['localhost:5000', engine, true],
    ['127.9.9.9', engine, true],
    ['ghcr.io', engine, false],
    ['10.0.0.5:5000', engine, false],
    ['10.0.0.5:5000', { ...engine, insecureRegistries: { hosts: [], cidrs: ['10.0.0.0/8'] } }, true],
    ['reg.lan:5000', { ...engine, insecureRegistries: { hosts: ['reg.lan:5000'], cidrs: [] } }, true],
    ['127.0.0.1:5000', { ...engine, insecureRegistries: { hosts: [], cidrs: [] } }, false],
    ['[::1]:5000', { ...engine, insecureRegistries: { hosts: [], cidrs: ['::1/128'] } }, true],
  ] as [string, Engine, boolean][])('%s → %s', (host, which, insecure) => {
    expect(isInsecureRegistry(host, which)).toBe(insecure);
  });
});

describe('the source-ref label', () => {
  it.each([
    [
      'git branch',
      refContext({ gitBranch: 'feature/a', ref: 'refs/heads/feature/a' }),
      'refs/heads/feature/a',
    ],
    ['tag', refContext({ gitBranch: undefined, ref: 'refs/tags/v1.2.3' }), 'refs/tags/v1.2.3'],
    [
      'pull request',
      refContext({
        gitBranch: undefined,
        ref: 'refs/pull/12/merge',
        eventName: 'pull_request',
        pullRequest: { number: 12, headRef: 'main', baseRef: 'main', fromFork: true },
      }),
      'refs/pull/12/merge',
    ],
    ['nothing names a ref', refContext({ gitBranch: undefined, ref: '' }), undefined],
  ])('%s → %s', (_name, context, ref) => {
    expect(sourceRef(context)).toBe(ref);
    expect(imageLabels(context, undefined, {})[SOURCE_REF_LABEL]).toBe(ref);
  });
});
