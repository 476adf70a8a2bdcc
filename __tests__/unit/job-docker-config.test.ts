import { withoutLoginStores } from '../../src/execute/job-docker-config.js';

describe('withoutLoginStores (the job’s DOCKER_CONFIG)', () => {
  it.each([
    ['credsStore', { credsStore: 'desktop' }],
    ['CredsStore', { CredsStore: 'desktop' }],
    ['credsstore', { credsstore: 'osxkeychain' }],
    ['CREDSSTORE next to credsStore', { CREDSSTORE: 'pass', credsStore: 'desktop' }],
  ])(
    'drops the credential store under the key %s (docker reads keys case-insensitively)',
    (_name, config) => {
      expect(withoutLoginStores({ auths: {}, ...config }, ['ghcr.io'])).toEqual({
        auths: {},
        credHelpers: {},
      });
    },
  );

  it.each([
    ['credHelpers', { credHelpers: { 'ghcr.io': 'gh', 'gcr.io': 'gcloud' } }],
    ['CredHelpers', { CredHelpers: { 'ghcr.io': 'gh', 'gcr.io': 'gcloud' } }],
    ['credhelpers', { credhelpers: { 'GHCR.io': 'gh', 'gcr.io': 'gcloud' } }],
    [
      'two keys, merged as Go merges them',
      { credHelpers: { 'gcr.io': 'gcloud' }, CREDHELPERS: { 'https://ghcr.io': 'gh' } },
    ],
  ])("drops the login registry's helper under the key %s and keeps the others'", (_name, config) => {
    expect(withoutLoginStores(config, ['ghcr.io'])).toEqual({ credHelpers: { 'gcr.io': 'gcloud' } });
  });

  it("drops Docker Hub's helper, under any of its names, when Docker Hub is the login registry", () => {
    const config = {
      credHelpers: { 'https://index.docker.io/v1/': 'hub', 'registry-1.docker.io': 'hub', 'ghcr.io': 'gh' },
    };
    expect(withoutLoginStores(config, [undefined])).toEqual({ credHelpers: { 'ghcr.io': 'gh' } });
  });

  it('keeps every other setting as it is', () => {
    const config = {
      auths: { 'ghcr.io': { auth: 'x' } },
      currentContext: 'remote',
      proxies: { default: {} },
    };
    expect(withoutLoginStores(config, ['ghcr.io'])).toEqual({ ...config, credHelpers: {} });
  });
});

describe('withoutLoginStores, several logins (registry-auth)', () => {
  it("drops every login registry's helper, Docker Hub's too, and keeps the rest", () => {
    const config = {
      credHelpers: { 'ghcr.io': 'gh', 'registry-1.docker.io': 'hub', 'gcr.io': 'gcloud', 'quay.io': 'q' },
    };
    expect(withoutLoginStores(config, ['ghcr.io', undefined, 'quay.io'])).toEqual({
      credHelpers: { 'gcr.io': 'gcloud' },
    });
  });
});
