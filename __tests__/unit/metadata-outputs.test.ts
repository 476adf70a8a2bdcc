import { newRunRecord } from '../../src/record/run-record.js';
import { metadataOutputs } from '../../src/report/metadata-outputs.js';

const facts = {
  references: ['ghcr.io/acme/app:main', 'ghcr.io/acme/app:sha-0123456'],
  tags: [
    { tag: 'main', source: 'main', rule: 'branch' as const },
    { tag: 'sha-0123456', source: 'sha-0123456', rule: 'template' as const },
  ],
  labels: { 'org.opencontainers.image.title': 'app', 'org.opencontainers.image.description': 'A web app' },
  annotations: ['manifest:org.opencontainers.image.description=A web app'],
};

describe('metadataOutputs', () => {
  it("labels sorted by key, annotations as given, and metadata-action's json shape", () => {
    const record = { ...newRunRecord(), buildMetadata: '{"containerimage.digest":"sha256:1"}' };
    const outputs = metadataOutputs({ ...facts, record });
    expect(outputs.labels).toBe(
      'org.opencontainers.image.description=A web app\norg.opencontainers.image.title=app',
    );
    expect(outputs.annotations).toBe('manifest:org.opencontainers.image.description=A web app');
    expect(JSON.parse(outputs.json)).toEqual({
      tags: ['ghcr.io/acme/app:main', 'ghcr.io/acme/app:sha-0123456'],
      'tag-names': ['main', 'sha-0123456'],
      labels: {
        'org.opencontainers.image.description': 'A web app',
        'org.opencontainers.image.title': 'app',
      },
      annotations: ['manifest:org.opencontainers.image.description=A web app'],
    });
    expect(JSON.parse(outputs.metadata)).toEqual({ 'containerimage.digest': 'sha256:1' });
  });

  it('no build (a dry run) and no annotations: metadata and annotations empty', () => {
    const outputs = metadataOutputs({ ...facts, annotations: [], record: newRunRecord() });
    expect(outputs.metadata).toBe('');
    expect(outputs.annotations).toBe('');
    expect((JSON.parse(outputs.json) as { annotations: string[] }).annotations).toEqual([]);
  });
});
