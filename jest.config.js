// ESM TypeScript through ts-jest; unit tests are fast and pure, e2e tests run dist/ against a real dockerd + registry.
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
};
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  resolver: 'ts-jest-resolver',
  transform: tsJest,
  testEnvironment: 'node',
};
export default {
  // The e2e tests share one dockerd and one pair of registries: one test file at a time.
  maxWorkers: 1,
  // Real builds and pushes; jest ignores testTimeout inside a project, so it is set here for all.
  testTimeout: 180000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/__tests__/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/e2e/global-teardown.ts',
    },
  ],
};
