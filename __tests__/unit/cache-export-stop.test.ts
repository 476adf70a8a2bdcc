import { check } from '../../src/execute/step-checks.js';
import { makePlan, type Step } from '../../src/plan/plan.js';
import type { Engine } from '../../src/docker/engine-info.js';
import type { Settings } from '../../src/inputs/settings.js';
import { newRunRecord, type RunRecord } from '../../src/record/run-record.js';
import { recordingLog, result, settings } from './helpers.js';

const CONTAINERD: Engine = { buildx: true, serverVersion: '28.5.0', containerdStore: true };
const REFERENCE = 'r.io/app:main';
const DIGEST = `sha256:${'d'.repeat(64)}`;

function buildStep(overrides: Partial<Settings>): Step & { kind: 'build' } {
  const steps = makePlan({
    settings: settings({ pushTimeoutSeconds: 5, ...overrides }),
    engine: CONTAINERD,
    references: [REFERENCE],
    labels: {},
    cacheImages: [],
    stageCaches: ['r.io/app:buildcache-main'],
    jobDir: '/nonexistent-job',
    dockerConfig: undefined,
    testContainer: 'build-test-push-in-image-1',
  });
  const found = steps.find((step) => step.kind === 'build');
  if (found?.kind !== 'build') throw new Error('no build step');
  return found;
}

function stoppedRecord(): RunRecord {
  return { ...newRunRecord(), cacheExportStopped: { target: 'r.io/app:buildcache-main', seconds: 5 } };
}

// What buildx printed before push-timeout ended it in its cache export: no error, no metadata file.
const LOADED = [
  '#9 exporting to image',
  '#9 naming to r.io/app:main done',
  '#9 DONE 0.2s',
  '#10 exporting cache to registry',
];
const PUSHED = [
  '#9 exporting to image',
  `#9 pushing manifest for ${REFERENCE}@${DIGEST} 0.1s done`,
  '#9 DONE 0.4s',
  '#10 exporting cache to registry',
];

describe('a build stopped in its registry cache export', () => {
  it('the every-stage cache (ignore-error=true), loaded: the image stands; its id is read from docker', async () => {
    const step = buildStep({});
    const record = stoppedRecord();
    await expect(check(step, result(143, LOADED), record, recordingLog())).resolves.toBeUndefined();
    expect(step.loadedId).toBeDefined();
    expect(record.imageId).toBeUndefined();
  });

  it('pushed by buildx (several platforms): the digest comes from its progress, not the metadata file', async () => {
    const step = buildStep({ platforms: ['linux/amd64', 'linux/arm64'] });
    const record = stoppedRecord();
    await check(step, result(143, PUSHED), record, recordingLog());
    expect([...record.digests]).toEqual([[REFERENCE, DIGEST]]);
  });

  it("a user's registry cache-to without ignore-error: the build fails, naming the export and the fix", async () => {
    const step = buildStep({ cacheTo: ['type=registry,ref=r.io/app:cache,mode=max'] });
    await expect(check(step, result(143, LOADED), stoppedRecord(), recordingLog())).rejects.toThrow(
      "Build's registry cache export to r.io/app:buildcache-main was stopped after 5 s (`push-timeout`); nothing was pushed. Add `ignore-error=true` to `cache-to`",
    );
  });

  it('a build that failed on its own is still a failed build', async () => {
    const step = buildStep({});
    const lines = [
      '#6 [2/2] RUN make',
      '#6 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
    ];
    await expect(check(step, result(1, lines), newRunRecord(), recordingLog())).rejects.toThrow(
      /^Build failed.*exit code: 2; nothing was pushed\.$/,
    );
  });
});
