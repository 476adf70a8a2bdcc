import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { runAction, runPost } from './harness.js';
import { makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();

/**
 * Why a step missed the cache when only a build-arg changed: the image's build-args label (one
 * digest, no values) against the cache image's. buildx only: the classic builder prints no cache
 * report per step. Every leg, since the label and the reason do not depend on the image store.
 */
describe(`the summary names a build-arg change on the ${environment.leg} leg`, () => {
  it('a second build with another build-arg value: the RUN that reads it, with its line and the reason', async () => {
    const repository = uniqueRepository('slow-arg');
    const marker = Math.random().toString(36).slice(2);
    const workspace = makeWorkspace({
      Dockerfile: `FROM ${environment.baseImage}\nARG FLAVOUR\nRUN echo ${marker}-$FLAVOUR > /flavour\n`,
    });
    const build = (flavour: string) =>
      runAction({
        inputs: {
          image: repository,
          ...loginInputs(environment),
          'build-args': `FLAVOUR=${flavour}`,
          audit: 'off',
        },
        workspace: workspace.dir,
        ref: 'refs/heads/main',
        sha: workspace.sha,
        payload: { repository: { full_name: 'acme/app', default_branch: 'main' } },
        dockerConfig: userDockerConfig(environment, true),
      });
    const first = await build(`mild-${marker}`);
    expect(first.log).not.toContain('::error');
    expect(first.exitCode).toBe(0);
    await runPost(first);
    const labels = first.outputs.labels?.split('\n') ?? [];
    expect(labels).toContainEqual(
      expect.stringMatching(/^build-test-push-action\.build-args=sha256:[0-9a-f]{64}$/),
    );
    expect(first.outputs.labels).not.toContain(`mild-${marker}`);

    const second = await build(`hot-${marker}`);
    expect(second.exitCode).toBe(0);
    await runPost(second);
    const line = second.summary.split('\n').find((text) => text.includes('`Dockerfile:3`')) ?? '';
    expect(line).toContain(
      `\`Dockerfile:3\` \`RUN echo ${marker}-$FLAVOUR > /flavour\`: \`build-args\` changed since ${workspace.sha.slice(0, 7)}; this stage reads \`FLAVOUR\` — `,
    );
    // Shown as the Dockerfile has it: BuildKit's own step name has the value filled in.
    expect(second.summary).not.toContain(`hot-${marker}`);
  });
  it('a build-arg filled from a placeholder that kept its value is not blamed for a miss', async () => {
    const repository = uniqueRepository('slow-arg-same');
    const marker = Math.random().toString(36).slice(2);
    const dockerfile = (word: string) =>
      `FROM ${environment.baseImage}\nARG FLAVOUR\nRUN echo ${word}-${marker}-$FLAVOUR > /flavour\n`;
    const workspace = makeWorkspace({ Dockerfile: dockerfile('one') });
    const build = () =>
      runAction({
        inputs: {
          image: repository,
          ...loginInputs(environment),
          'build-args': 'FLAVOUR=mild-{branch}', // the same value on both runs: mild-main
          audit: 'off',
        },
        workspace: workspace.dir,
        ref: 'refs/heads/main',
        sha: workspace.sha,
        payload: { repository: { full_name: 'acme/app', default_branch: 'main' } },
        dockerConfig: userDockerConfig(environment, true),
      });
    const first = await build();
    expect(first.exitCode).toBe(0);
    await runPost(first);
    writeFileSync(path.join(workspace.dir, 'Dockerfile'), dockerfile('two'));
    const second = await build();
    expect(second.exitCode).toBe(0);
    await runPost(second);
    const line = second.summary.split('\n').find((text) => text.includes('`Dockerfile:3`')) ?? '';
    expect(line).toContain('not in the cache of');
    expect(line).not.toContain('`build-args` changed');
  });
});
