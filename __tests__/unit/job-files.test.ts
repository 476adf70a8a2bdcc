import { mkdtemp, readdir, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { settingsWith } from '../../__fixtures__/inputs.js';
import { prepareJobFiles, removeJobFiles } from '../../src/execute/job-files.js';

describe("main's removal of the job folder", () => {
  let runnerTemp: string;
  beforeEach(async () => {
    runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'job-files-'));
  });
  afterEach(async () => {
    await rm(runnerTemp, { recursive: true, force: true });
  });

  it('removes a folder whose creation was still under way when main failed', async () => {
    const settings = settingsWith({ username: 'u', password: 'p' });
    const env = { RUNNER_TEMP: runnerTemp, DOCKER_CONFIG: path.join(runnerTemp, 'no-user-config') };
    // Main fails (say, a missing Dockerfile) before the creation it started has finished.
    const creation = prepareJobFiles(settings, env);
    await removeJobFiles();
    const files = await creation;
    expect(files.dockerConfig).toBeDefined();
    expect(await readdir(runnerTemp)).toEqual([]);
  });
});
