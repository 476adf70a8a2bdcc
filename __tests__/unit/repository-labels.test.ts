import { githubContextOf, loadRunnerFixture } from '../../__fixtures__/runner.js';
import { toRefContext } from '../../src/context/ref-context.js';
import { repositoryMetadata } from '../../src/context/repository-metadata.js';
import { imageLabels } from '../../src/tags/labels.js';

const DESCRIPTION = 'org.opencontainers.image.description';
const LICENSES = 'org.opencontainers.image.licenses';

/** A captured push whose payload's repository object carries `fields` too. */
function contextWith(fields: Record<string, unknown>) {
  const fixture = loadRunnerFixture('push-default-branch');
  const repository = { ...(fixture.event.repository as Record<string, unknown>), ...fields };
  return toRefContext(githubContextOf({ ...fixture, event: { ...fixture.event, repository } }), fixture.git);
}

describe('repositoryMetadata', () => {
  test.each([
    ['both', { description: 'A web app', license: { key: 'mit', spdx_id: 'MIT' } }, 'A web app', 'MIT'],
    ['surrounding spaces trimmed', { description: '  A web app \n', license: null }, 'A web app', undefined],
    ['no license file (license: null)', { description: 'x', license: null }, 'x', undefined],
    [
      'a license GitHub cannot name',
      { license: { key: 'other', spdx_id: 'NOASSERTION' } },
      undefined,
      undefined,
    ],
    ['spdx_id null', { license: { key: 'other', spdx_id: null } }, undefined, undefined],
    ['empty description', { description: '', license: { spdx_id: 'Apache-2.0' } }, undefined, 'Apache-2.0'],
    ['description null', { description: null }, undefined, undefined],
    ['not strings', { description: 7, license: { spdx_id: 3 } }, undefined, undefined],
    ['nothing', {}, undefined, undefined],
  ])('%s', (_, repository, description, license) => {
    expect(repositoryMetadata({ repository })).toEqual({ description, license });
  });

  it('no repository object at all', () => {
    expect(repositoryMetadata({})).toEqual({ description: undefined, license: undefined });
  });
});

describe('the description and licenses labels', () => {
  it('come from the event payload', () => {
    const context = contextWith({ description: 'A web app', license: { spdx_id: 'MIT' } });
    const labels = imageLabels(context, 'main', {});
    expect(labels[DESCRIPTION]).toBe('A web app');
    expect(labels[LICENSES]).toBe('MIT');
  });

  it('are left out when the repository does not say', () => {
    const labels = imageLabels(contextWith({ description: null, license: null }), 'main', {});
    expect(Object.keys(labels)).not.toContain(DESCRIPTION);
    expect(Object.keys(labels)).not.toContain(LICENSES);
  });

  it('give way to the labels input', () => {
    const context = contextWith({ description: 'A web app', license: { spdx_id: 'MIT' } });
    const labels = imageLabels(context, 'main', { [DESCRIPTION]: 'Ours', [LICENSES]: 'Apache-2.0' });
    expect(labels[DESCRIPTION]).toBe('Ours');
    expect(labels[LICENSES]).toBe('Apache-2.0');
  });
});
