import { childEnvironment } from '../../src/runner.js';

describe('childEnvironment', () => {
  const parent = {
    PATH: '/usr/bin',
    HOME: '/home/runner',
    INPUT_PASSWORD: 'hunter2',
    INPUT_USERNAME: 'me',
    'INPUT_TEST-COMMAND': 'npm test',
    GITHUB_INPUT: 'kept: only the INPUT_ prefix is dropped',
    UNSET: undefined,
  };

  it('drops every INPUT_* variable and undefined values, keeps the rest', () => {
    expect(childEnvironment(parent)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      GITHUB_INPUT: 'kept: only the INPUT_ prefix is dropped',
    });
  });

  it('adds the extras, which win over the parent', () => {
    expect(childEnvironment(parent, { DOCKER_CONFIG: '/tmp/job/docker-config', HOME: '/other' })).toEqual({
      PATH: '/usr/bin',
      HOME: '/other',
      GITHUB_INPUT: 'kept: only the INPUT_ prefix is dropped',
      DOCKER_CONFIG: '/tmp/job/docker-config',
    });
  });

  it('never carries the password value', () => {
    expect(Object.values(childEnvironment(parent, { X: '1' }))).not.toContain('hunter2');
  });
});
