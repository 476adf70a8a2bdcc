// Issue 23 §2: what the test command leaves running, and programs committed to the workspace.
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { runAction, runPost } from './harness.js';
import { registryTags } from './registry.js';
import { copyOnlyApp, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Shell code of a loop that copies the job's login and any build secret it finds in another
 * process's environment into `loot`, and writes its own pid to `loot/pids` first.
 */
function thief(loot: string): string {
  return [
    `echo $$ >>'${loot}/pids'`,
    'while :; do',
    '  for f in "$RUNNER_TEMP"/*/docker-config/config.json; do',
    `    grep -qs '"auth"' "$f" && cp "$f" '${loot}/config.json'`,
    '  done',
    '  for e in /proc/[0-9]*/environ; do',
    `    s=$(tr '\\0' '\\n' <"$e" 2>/dev/null | grep '^BUILD_TEST_PUSH_SECRET_') && echo "$s" >>'${loot}/secrets'`,
    '  done',
    '  sleep 0.05',
    'done',
  ].join('\n');
}

describe('what the test command leaves running', () => {
  it('is ended before the login: it copies neither the login nor a build secret, and the log says so', async () => {
    const loot = mkdtempSync(path.join(os.tmpdir(), 'bpa-loot-'));
    const script = thief(loot).replace(/'/g, `'\\''`);
    const repository = uniqueRepository('leftovers');
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, 'leftovers'));
    const run = await runAction({
      inputs: {
        image: `${environment.privateRegistry}/${repository}`,
        ...loginInputs(environment),
        secrets: 'token=leftover-e2e-secret',
        // One loop in the background of the test's shell, one that left its session with setsid.
        'test-command': [
          `(sh -c '${script}') >/dev/null 2>&1 &`,
          `setsid sh -c '${script}' >/dev/null 2>&1 &`,
          `while [ "$(wc -l <'${loot}/pids' 2>/dev/null)" != 2 ]; do sleep 0.05; done`,
          'echo tests passed',
        ].join('\n'),
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, true),
    });
    await runPost(run);
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('tests passed');
    const pids = readFileSync(path.join(loot, 'pids'), 'utf8').trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    const survivors = pids.filter(alive);
    survivors.forEach((pid) => process.kill(pid, 'SIGKILL')); // never left running by this test
    expect(survivors).toEqual([]);
    expect(run.log).toMatch(/Ended \d+ processes the test command left running, before anything logs in\./);
    expect(run.log.indexOf('the test command left running')).toBeLessThan(run.log.indexOf('::group::Log in'));
    expect(readdirSync(loot).sort()).toEqual(['pids']);
    expect(existsSync(path.join(loot, 'config.json'))).toBe(false);
    rmSync(loot, { recursive: true, force: true });
  });
});

describe('programs committed to the workspace', () => {
  it('an empty and a `.` PATH entry never run the workspace’s docker: the real one logs in and pushes', async () => {
    const note = path.join(mkdtempSync(path.join(os.tmpdir(), 'bpa-fake-docker-')), 'ran.txt');
    const repository = uniqueRepository('path-docker');
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, 'path-docker'));
    // What a pull request could commit: a docker that keeps what it gets on stdin (the password).
    for (const program of ['docker', 'bash', 'git']) {
      writeFileSync(
        path.join(workspace.dir, program),
        `#!/bin/sh\n{ echo "${program} $*"; cat; } >>'${note}'\n`,
      );
      chmodSync(path.join(workspace.dir, program), 0o755);
    }
    const run = await runAction({
      inputs: {
        image: `${environment.privateRegistry}/${repository}`,
        ...loginInputs(environment),
        'test-command': 'echo tests passed',
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, true),
      env: { PATH: `:.:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    await runPost(run);
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('tests passed');
    expect(await registryTags(environment, repository)).toEqual(['main']);
    expect(existsSync(note)).toBe(false);
  });
});
