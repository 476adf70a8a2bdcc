import { jest } from '@jest/globals';
import { type ReadTag, readBase, resolveBase } from '../../src/facts/world.js';
import { decideBase, decideRebuild } from '../../src/plan/base-decision.js';
import type { Engine } from '../../src/docker/engine-info.js';
import { Secret } from '../../src/shared/secret.js';
import type { RemoteRead, RemoteRequest } from '../../src/registry/registry-reader.js';
import { BASE_DIGEST_LABEL, BASE_NAME_LABEL } from '../../src/tags/labels.js';
import { settings } from './helpers.js';
import type { Settings } from '../../src/inputs/settings.js';

const BASE = { name: 'python:3.12-slim', digest: 'sha256:new' };
const APP = 'ghcr.io/acme/app:main';

function holding(labels: Record<string, string> | undefined): RemoteRead {
  return { kind: 'found', digest: 'sha256:app', configDigest: 'sha256:config', labels };
}

describe('decideRebuild', () => {
  test('the same base name and digest: nothing to rebuild, the tag keeps its digest', () => {
    const existing = holding({
      [BASE_NAME_LABEL]: BASE.name,
      [BASE_DIGEST_LABEL]: BASE.digest,
      'org.opencontainers.image.created': '2026-11-30T10:00:00Z',
    });
    expect(decideRebuild(APP, existing, BASE)).toEqual({
      rebuild: { rebuilt: false, reference: APP, since: '2026-11-30T10:00:00Z' },
      pullBase: false,
      upToDate: { reference: APP, digest: 'sha256:app', imageId: 'sha256:config' },
    });
  });

  test.each<[string, RemoteRead, RegExp, string | undefined]>([
    [
      'another base digest',
      holding({ [BASE_NAME_LABEL]: BASE.name, [BASE_DIGEST_LABEL]: 'sha256:old' }),
      /changed from sha256:old to sha256:new/,
      'sha256:old',
    ],
    [
      'another base name',
      holding({ [BASE_NAME_LABEL]: 'python:3.11-slim', [BASE_DIGEST_LABEL]: BASE.digest }),
      /built on python:3.11-slim, the Dockerfile now names python:3.12-slim/,
      BASE.digest,
    ],
    ['no base labels', holding({ other: 'x' }), /records no base image digest/, undefined],
    ['no labels read', holding(undefined), /records no base image digest/, undefined],
    ['no image yet', { kind: 'missing' }, /not in the registry yet/, undefined],
    ['an unreadable tag', { kind: 'unknown', reason: 'proxy said no' }, /proxy said no/, undefined],
  ])('%s: rebuild', (_name, existing, reason, previousDigest) => {
    const { rebuild, pullBase } = decideRebuild(APP, existing, BASE);
    if (!rebuild.rebuilt) throw new Error('expected a rebuild');
    expect(rebuild.reason).toMatch(reason);
    expect(rebuild.previousDigest).toBe(previousDigest);
    expect(pullBase).toBe(true);
  });
});

const found = (digest: string): RemoteRead => ({
  kind: 'found',
  digest,
  configDigest: undefined,
  labels: undefined,
});

describe('resolveBase', () => {
  test('a pinned digest is its own answer: no read', async () => {
    const read = jest.fn<ReadTag>();
    const outcome = await resolveBase({ kind: 'image', name: 'a@sha256:1', pinned: 'sha256:1' }, read);
    expect(outcome).toEqual({ kind: 'found', name: 'a@sha256:1', digest: 'sha256:1' });
    expect(read).not.toHaveBeenCalled();
  });

  test.each<[string, RemoteRead, unknown]>([
    ['found', found('sha256:idx'), { kind: 'found', name: 'a:1', digest: 'sha256:idx' }],
    [
      'missing',
      { kind: 'missing' },
      { kind: 'unreadable', name: 'a:1', problem: 'its registry has no such tag' },
    ],
    ['unknown', { kind: 'unknown', reason: '401' }, { kind: 'unreadable', name: 'a:1', problem: '401' }],
  ])('a tag the registry answers %s', async (_name, answer, expected) => {
    const read: ReadTag = (reference, labels) => {
      expect([reference, labels]).toEqual(['a:1', false]);
      return Promise.resolve(answer);
    };
    expect(await resolveBase({ kind: 'image', name: 'a:1', pinned: undefined }, read)).toEqual(expected);
  });
});

// The facts stage reads the base (and the tag), the plan decides: read together, as a run does.
describe('readBase, then decideBase', () => {
  const ENGINE: Engine = { buildx: true, serverVersion: '27.0.0' };
  const LABELS = { 'org.opencontainers.image.revision': 'abc' };
  const reader = (answers: Record<string, RemoteRead>) => ({
    requests: [] as [string, RemoteRequest][],
    read(reference: string, request: RemoteRequest): Promise<RemoteRead> {
      this.requests.push([reference, request]);
      return Promise.resolve(
        answers[reference] ?? { kind: 'unknown', reason: `unexpected read of ${reference}` },
      );
    },
  });
  const run = (overrides: Partial<Settings>, dockerfile: string, answers: Record<string, RemoteRead>) => {
    const registry = reader(answers);
    const chosen = settings(overrides);
    const check = readBase({ settings: chosen, reference: APP, reader: registry }, ENGINE, dockerfile).then(
      ({ base, existing }) =>
        decideBase({ base, existing, reference: APP, policy: chosen.rebuild, labels: LABELS }),
    );
    return { registry, check };
  };
  const notes = (level: string, pattern: RegExp): unknown =>
    expect.arrayContaining([{ level, message: expect.stringMatching(pattern) as unknown }]);
  const baseLabels = { [BASE_NAME_LABEL]: BASE.name, [BASE_DIGEST_LABEL]: BASE.digest };

  test('always: the labels record the base, nothing else changes', async () => {
    const { check } = run({}, 'FROM python:3.12-slim\n', {
      'python:3.12-slim': found('sha256:new'),
    });
    const decision = await check;
    expect(decision).toEqual(
      expect.objectContaining({ labels: { ...LABELS, ...baseLabels }, pullBase: false, upToDate: undefined }),
    );
    expect(decision.base).toEqual(BASE);
    expect(decision.rebuild).toBeUndefined();
  });

  test('always: an unreadable base warns and records the name alone', async () => {
    const { check } = run({}, 'FROM python:3.12-slim\n', {});
    const decision = await check;
    expect(decision.labels).toEqual({ ...LABELS, [BASE_NAME_LABEL]: BASE.name });
    expect(decision.notes).toEqual(notes('warning', /Could not read base image python:3.12-slim/));
  });

  test('always: FROM scratch records no base and says so', async () => {
    const { check } = run({}, 'FROM scratch\n', {});
    const decision = await check;
    expect(decision.labels).toEqual(LABELS);
    expect(decision.base).toBeUndefined();
    expect(decision.notes).toEqual(notes('info', /FROM scratch/));
  });

  test('base-changed: an unreadable base is an error, never a skip', async () => {
    const { check } = run({ rebuild: 'base-changed' }, 'FROM python:3.12-slim\n', {
      [APP]: holding(baseLabels),
    });
    await expect(check).rejects.toThrow(
      /cannot read base image python:3.12-slim .*nothing was built or pushed/,
    );
  });

  test('base-changed: FROM scratch is an error', async () => {
    const { check } = run({ rebuild: 'base-changed' }, 'FROM scratch\n', {});
    await expect(check).rejects.toThrow(/needs a base image to compare/);
  });

  test('base-changed, base unchanged: an empty plan, and the tag keeps its digest', async () => {
    const { check } = run({ rebuild: 'base-changed' }, 'FROM python:3.12-slim\n', {
      'python:3.12-slim': found('sha256:new'),
      [APP]: holding(baseLabels),
    });
    const decision = await check;
    expect(decision.pullBase).toBe(false);
    expect(decision.rebuild).toEqual({ rebuilt: false, reference: APP, since: undefined });
    expect(decision.upToDate).toEqual({ reference: APP, digest: 'sha256:app', imageId: 'sha256:config' });
  });

  test('base-changed, base moved: a build on the base pulled anew', async () => {
    const { check } = run({ rebuild: 'base-changed' }, 'FROM python:3.12-slim\n', {
      'python:3.12-slim': found('sha256:newer'),
      [APP]: holding(baseLabels),
    });
    const decision = await check;
    expect(decision).toEqual(
      expect.objectContaining({
        labels: { ...LABELS, ...baseLabels, [BASE_DIGEST_LABEL]: 'sha256:newer' },
        pullBase: true,
        upToDate: undefined,
      }),
    );
    expect(decision.rebuild).toEqual(expect.objectContaining({ rebuilt: true, previousDigest: BASE.digest }));
  });

  test('the login registry is read with the action credentials, others with docker config', async () => {
    const password = new Secret('hunter2');
    const { check, registry } = run(
      {
        rebuild: 'base-changed',
        loginRegistry: 'ghcr.io',
        credentials: { username: 'bot', password },
      },
      'FROM python:3.12-slim\n',
      { 'python:3.12-slim': found('sha256:new'), [APP]: holding(baseLabels) },
    );
    await check;
    const byReference = new Map(registry.requests);
    expect(byReference.get(APP)).toEqual(
      expect.objectContaining({
        labels: true,
        credentials: { kind: 'basic', username: 'bot', password: 'hunter2' },
      }),
    );
    expect(byReference.get('python:3.12-slim')).toEqual(
      expect.objectContaining({ labels: false, credentials: undefined, dockerConfig: undefined }),
    );
  });

  test('a dry run reads nothing', async () => {
    const { check, registry } = run({ rebuild: 'base-changed', dryRun: true }, 'FROM python:3.12-slim\n', {});
    const decision = await check;
    expect(decision).toEqual(
      expect.objectContaining({
        labels: { ...LABELS, [BASE_NAME_LABEL]: BASE.name },
        pullBase: false,
        upToDate: undefined,
      }),
    );
    expect(registry.requests).toEqual([]);
    expect(decision.base).toEqual({ name: BASE.name, digest: undefined });
  });
});
