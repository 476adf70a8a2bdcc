import { existsSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironment, userDockerConfig, loginInputs } from './environment.js';
import { type ActionRun, runAction, runPost } from './harness.js';
import { registryTags } from './registry.js';
import { makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const canaryDir = mkdtempSync(path.join(os.tmpdir(), 'bpa-canary-'));
const canary = path.join(canaryDir, 'injected');

/** Branch and tag names an attacker can choose in a pull request or a push. */
const HOSTILE: string[] = [
  `$(touch ${canary})`,
  `feature/$(touch ${canary})`,
  `\`touch ${canary}\``,
  `a;touch ${canary}`,
  `a && touch ${canary}`,
  `a || touch ${canary}`,
  `a | touch ${canary}`,
  `a\ntouch ${canary}`,
  `a\r\ntouch ${canary}`,
  `'; touch ${canary}; '`,
  `"; touch ${canary}; "`,
  `\${IFS}touch\${IFS}${canary}`,
  `a > ${canary}`,
  `a < /etc/passwd`,
  '-rf',
  '--help',
  '--tag=evil',
  '-',
  '--',
  '-v',
  '--output=/tmp/x',
  '--label=x=y',
  '.hidden',
  '..',
  '../../etc/passwd',
  'a..b',
  '...',
  '.-.-',
  'a/../b',
  'feature/Login-Page',
  'UPPER/lower',
  'ünïcödé',
  '日本語ブランチ',
  'emoji-🚀-launch',
  'ⓐⓑⓒ',
  'zero\u200bwidth',
  'right\u202eleft',
  'tab\tname',
  'nul\u0001control',
  'bell\u0007',
  'spaces in name',
  ' leading-space',
  'trailing-space ',
  'x'.repeat(300),
  `${'a/'.repeat(100)}end`,
  '#42-crash',
  'fix/#42',
  'release/v1.2+build',
  'a@{b}',
  'a~1^2:3?*[',
  'back\\slash',
  '%0a%0d',
  'name%00null',
  '{ref}',
  '{sha}',
  '$HOME',
  '${PATH}',
  '!history',
  'a*b?c',
  '_underscore',
  '123',
];

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The plan's docker argv as the dry run printed it. */
function planLines(run: ActionRun): string[] {
  return run.log.split('\n').filter((line) => /^\s+(\S+=\S+ )*docker /.test(line));
}

describe('hostile branch names through the whole pipeline (dry run)', () => {
  const dockerConfig = userDockerConfig(environment, true);
  const workspace = makeWorkspace(
    { Dockerfile: `FROM ${environment.baseImage}\n`, 'hello.txt': 'x\n' },
    'main',
    true, // detached: the runner's ref decides, as on a tag or a pull request checkout
  );

  it(`covers at least 50 names (${HOSTILE.length})`, () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(50);
  });

  it.each(HOSTILE.map((name) => [JSON.stringify(name), name]))(
    '%s: a valid tag or a clear error, never an injection',
    async (_shown, name) => {
      const run = await runAction({
        inputs: {
          image: 'ghcr.io/acme/app',
          username: 'me',
          password: 'not-used-in-dry-run',
          'dry-run': 'true',
        },
        workspace: workspace.dir,
        ref: `refs/heads/${name}`,
        sha: workspace.sha,
        dockerConfig,
      });
      expect(existsSync(canary)).toBe(false);
      if (run.exitCode === 0) {
        const tag = run.outputs.tag ?? '';
        expect(tag).toMatch(TAG);
        expect(run.outputs.image).toBe(`ghcr.io/acme/app:${tag}`);
        const plan = planLines(run);
        expect(plan.length).toBeGreaterThan(0);
        expect(plan.some((line) => line.includes(`--tag ghcr.io/acme/app:${tag}`))).toBe(true);
        // No value ever lands where docker would read it as an option.
        for (const line of plan) {
          expect(line).not.toMatch(/ --(tag|label|file|iidfile) -/);
          expect(line.trim().split(' ').at(-1)).not.toMatch(/^'?-/);
        }
      } else {
        expect(run.exitCode).toBe(1);
        expect(run.log).toMatch(/::error::.*(no character that a Docker tag may hold|HEAD is detached)/);
      }
    },
  );
});

describe('hostile names through a real push', () => {
  const dockerConfig = userDockerConfig(environment, true);
  const login = loginInputs(environment);

  it.each([
    [`feature/$(touch ${canary})`, undefined],
    ['-rf', 'rf'],
    [`a;touch ${canary}`, undefined],
    ['ünïcödé', undefined],
    ['x'.repeat(300), undefined],
  ] as [string, string | undefined][])('%j is pushed under a valid tag', async (name, expected) => {
    const repository = uniqueRepository('hostile');
    const workspace = makeWorkspace(
      { Dockerfile: `FROM ${environment.baseImage}\nCOPY hello.txt /hello.txt\n`, 'hello.txt': 'x\n' },
      'main',
      true,
    );
    const run = await runAction({
      inputs: { image: repository, ...login },
      workspace: workspace.dir,
      ref: `refs/heads/${name}`,
      sha: workspace.sha,
      dockerConfig,
    });
    await runPost(run);
    expect(existsSync(canary)).toBe(false);
    expect(run.exitCode).toBe(0);
    const tag = run.outputs.tag ?? '';
    expect(tag).toMatch(TAG);
    if (expected !== undefined) expect(tag).toBe(expected);
    expect(await registryTags(environment, repository)).toEqual([tag]);
  });
});
