import {
  childEnvironment,
  RUNNER_SERVICE_VARIABLES,
  searchPath,
  usesRunnerCache,
} from '../../src/context/child-env.js';

describe('childEnvironment', () => {
  const runnerServices = Object.fromEntries(
    RUNNER_SERVICE_VARIABLES.map((name) => [name, `value-of-${name}`]),
  );
  const parent = {
    PATH: '/usr/bin',
    HOME: '/home/runner',
    INPUT_PASSWORD: 'hunter2',
    INPUT_USERNAME: 'me',
    'INPUT_TEST-COMMAND': 'npm test',
    GITHUB_INPUT: 'kept: only the INPUT_ prefix is dropped',
    ACTIONS_STEP_DEBUG: 'true',
    ...runnerServices,
    UNSET: undefined,
  };

  it('drops every INPUT_* variable, the runner service variables and undefined values, keeps the rest', () => {
    expect(childEnvironment(parent)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      GITHUB_INPUT: 'kept: only the INPUT_ prefix is dropped',
      ACTIONS_STEP_DEBUG: 'true',
    });
  });

  it.each([
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_CACHE_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
  ])('%s is not passed on', (name) => {
    expect(childEnvironment({ [name]: 'x', PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });

  it('a buildx build with a type=gha cache gets the cache variables back, and nothing else of the runner', () => {
    const env = childEnvironment(parent, {}, { runnerCache: true });
    expect(
      Object.keys(env)
        .filter((name) => name.startsWith('ACTIONS_'))
        .sort(),
    ).toEqual([
      'ACTIONS_CACHE_SERVICE_V2',
      'ACTIONS_CACHE_URL',
      'ACTIONS_RESULTS_URL',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_STEP_DEBUG',
    ]);
    expect(Object.values(env)).not.toContain('hunter2');
  });

  it('adds the extras, which win over the parent', () => {
    expect(childEnvironment(parent, { DOCKER_CONFIG: '/tmp/job/docker-config', HOME: '/other' })).toEqual({
      PATH: '/usr/bin',
      HOME: '/other',
      GITHUB_INPUT: 'kept: only the INPUT_ prefix is dropped',
      ACTIONS_STEP_DEBUG: 'true',
      DOCKER_CONFIG: '/tmp/job/docker-config',
    });
  });

  it('never carries the password value', () => {
    expect(Object.values(childEnvironment(parent, { X: '1' }))).not.toContain('hunter2');
  });
});

describe('usesRunnerCache', () => {
  it.each([
    [['buildx', 'build', '--cache-from', 'type=gha', '.'], true],
    [['buildx', 'build', '--cache-to', 'type=gha,mode=max', '.'], true],
    [['buildx', 'build', '--cache-from=type=gha,scope=x', '.'], true],
    [['buildx', 'build', '--cache-from', 'type=registry,ref=r/x:gha', '.'], false],
    [['buildx', 'build', '--label', 'type=gha', '.'], false],
    [['bash', '-eo', 'pipefail', '-c', 'echo type=gha'], false],
  ])('%j → %s', (args, expected) => {
    expect(usesRunnerCache(args)).toBe(expected);
  });
});

describe('searchPath', () => {
  it('keeps only absolute entries: an empty or relative entry never finds a program', () => {
    expect(searchPath('/usr/local/bin::bin:./tools:/usr/bin:')).toEqual(['/usr/local/bin', '/usr/bin']);
    expect(searchPath(undefined)).toEqual([]);
  });
});
