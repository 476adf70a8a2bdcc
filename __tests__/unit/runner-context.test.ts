import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { githubContextOf, loadRunnerFixture } from '../../__fixtures__/runner.js';

// @actions/github reads the runner's variables once, when it is first imported: set them first.
const fixture = loadRunnerFixture('pull-request-fork');
const eventPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'event-')), 'event.json');
writeFileSync(eventPath, JSON.stringify(fixture.event));
Object.assign(process.env, fixture.env, { GITHUB_EVENT_PATH: eventPath });
const { githubContext } = await import('../../src/context/runner-context.js');

describe('githubContext', () => {
  it('reads through @actions/github what the fixtures model', () => {
    expect(githubContext(process.env)).toEqual(githubContextOf(fixture));
  });
});
