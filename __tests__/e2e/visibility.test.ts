import { BUILDERS, loadEnvironment, userDockerConfig, loginInputs } from './environment.js';
import { runAction, runPost } from './harness.js';
import { registryDigest } from './registry.js';
import { makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();

describe.each(BUILDERS)('what a user sees, with %s', (_name, buildx) => {
  const dockerConfig = userDockerConfig(environment, buildx);
  const login = loginInputs(environment);

  it('the job summary lists each pushed tag, its rule and the digest the registry reports', async () => {
    const repository = uniqueRepository('summary');
    const workspace = makeWorkspace(
      {
        Dockerfile: `FROM ${environment.baseImage}\nCOPY hello.txt /app/hello.txt\nUSER app\n`,
        'hello.txt': 'hello\n',
      },
      'feature/Login-Page',
    );
    const run = await runAction({
      inputs: { image: repository, ...login, tag: '{ref}\n{short-sha}', 'test-command': 'echo testing' },
      workspace: workspace.dir,
      ref: 'refs/heads/feature/Login-Page',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    const image = `${environment.privateRegistry}/${repository}`;
    const shortSha = workspace.sha.slice(0, 7);
    const branchDigest = await registryDigest(environment, repository, 'feature-Login-Page');
    const shaDigest = await registryDigest(environment, repository, shortSha);
    expect(branchDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.summary).toContain(`## ✅ Pushed: \`${image}\``);
    expect(run.summary).toContain(
      `| \`${image}:feature-Login-Page\` | \`feature/Login-Page\` → \`feature-Login-Page\` (branch) | \`${branchDigest}\` |`,
    );
    expect(run.summary).toContain(`| \`${image}:${shortSha}\` | \`${shortSha}\` (sha) | \`${shaDigest}\` |`);
    expect(run.summary).toMatch(/^- Size: \d+(\.\d+)? (B|kB|MB) unpacked$/m);
    // buildx counts the COPY; the classic builder also counts USER and a step per --label.
    expect(run.summary).toMatch(
      new RegExp(`^- Cache: \\d+ of ${buildx ? '1' : '\\d+'} build steps came from the cache$`, 'm'),
    );
    // The headline: what went where, the build's time, the size, the digest shortened.
    expect(run.summary.split('\n')[2]).toMatch(
      new RegExp(
        `^\\*\\*Pushed\\*\\* 2 tags · build [\\d.]+ s · .* · \`${String(branchDigest).slice(0, 19)}\`$`,
      ),
    );
    // A chart only for a run of 5 s or more; one row per kind of step, the two lookups, pushes and
    // read-backs each one row with their count.
    const bars = [...run.summary.matchAll(/^ {2}(.+?) (?:\d+ min )?[\d.]+ s : \d+, \d+$/gm)].map((m) => m[1]);
    if (run.summary.includes('```mermaid')) {
      const rows = bars
        .map((bar) => bar?.replace(/ (side by side|one by one)$/, ''))
        .filter((bar) => bar !== 'size check');
      expect(rows).toEqual(['resolve', 'tests', 'login', '2 lookups', 'build', '2 pushes', '2 read-backs']);
    }
    expect(run.summary).not.toContain(environment.password);

    // One log group per phase, the settings with the password masked, and the plan.
    const groups = run.log.split('\n').filter((line) => line.startsWith('::group::'));
    expect(groups).toEqual([
      '::group::Resolve: settings, branch, tags and plan',
      '::group::Run tests',
      `::group::Log in to ${environment.privateRegistry}`,
      `::group::Check what ${image}:feature-Login-Page holds now (and 1 more at once)`,
      // No cache pull: the lookup saw that this branch has no image yet, and the payload names no
      // default branch.
      `::group::Build ${image}:feature-Login-Page, ${image}:${shortSha}${buildx ? ' (buildx)' : ' (docker build)'}`,
      `::group::Push ${image}:feature-Login-Page`,
      `::group::Push ${image}:${shortSha}`,
      `::group::Verify the registry's digest of ${image}:feature-Login-Page (and 1 more at once)`,
      '::group::Outputs',
    ]);
    expect(run.log).toContain(`  credentials = {"username":"${environment.user}","password":"***"}`);
    expect(run.log).toContain('Tag: feature/Login-Page → feature-Login-Page (branch)');
    expect(run.log).toMatch(/::debug::Command: .*docker push/);
    await runPost(run);
  });

  it.each([
    [
      'Dockerfile',
      {},
      `FROM BASE\nCOPY hello.txt /app/hello.txt\nRUN echo "about to fail" && exit 3\nUSER app\n`,
      3,
      3,
    ],
    [
      'docker/Dockerfile',
      { file: 'docker/Dockerfile' },
      `# syntax is the default\nARG GREETING=hi\n\nFROM BASE\nCOPY hello.txt /app/hello.txt\nRUN echo "$GREETING" && \\\n    exit 4\n`,
      6,
      4,
    ],
  ])('a failing RUN in %s is annotated on its line', async (file, inputs, dockerfile, line, exit) => {
    const repository = uniqueRepository('annotate');
    const workspace = makeWorkspace({
      [file]: dockerfile.replace('BASE', environment.baseImage),
      'hello.txt': 'hello\n',
    });
    const run = await runAction({
      inputs: { image: repository, ...login, ...inputs },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(new RegExp(`^::error file=${file},line=${line}::Build failed at `, 'm'));
    expect(run.log.match(/^::error/gm)).toHaveLength(1);
    expect(run.summary).toContain(
      `## ❌ Build failed: nothing was pushed: \`${environment.privateRegistry}/${repository}\``,
    );
    expect(run.summary).toContain(`> At \`${file}:${line}\`: Build failed at `);
    // The failing step's own exit code, as docker reported it.
    expect(run.summary).toMatch(new RegExp(`(exit code: |non-zero code: )${exit}\\b`));
    await runPost(run);
  });

  it('failing tests: an annotation with the exit code, and their output in the summary', async () => {
    const repository = uniqueRepository('testfail');
    const workspace = makeWorkspace({ Dockerfile: `FROM ${environment.baseImage}\n` });
    const run = await runAction({
      inputs: { image: repository, ...login, 'test-command': 'echo "2 of 9 tests failed"\nexit 3' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(/^::error title=Tests failed with exit code 3::Tests failed with exit code 3;/m);
    expect(run.summary).toContain('## ❌ Tests failed: nothing was built or pushed');
    expect(run.summary).toContain('> Tests failed with exit code 3; nothing was built or pushed.');
    // Nothing was built: nothing about pushes.
    expect(run.summary).not.toContain('| reference |');
    expect(run.summary).toMatch(
      /<details>\n<summary>Test output \(1 line\)<\/summary>\n\n```text\n2 of 9 tests failed\n```/,
    );
    await runPost(run);
  });
});

describe('input warnings and the summary switch', () => {
  const dockerConfig = userDockerConfig(environment, true);

  it('warns about unknown inputs and credentials a dry run ignores', async () => {
    const workspace = makeWorkspace({ Dockerfile: `FROM ${environment.baseImage}\nARG USED\n` });
    const run = await runAction({
      inputs: {
        image: uniqueRepository('warn'),
        registry: environment.privateRegistry,
        username: 'me',
        password: 'not-used-1234',
        'dry-run': 'true',
        pussh: 'false',
        'build-args': 'USED=1\nUNUSED=2',
        audit: 'off',
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    const warnings = run.log.split('\n').filter((line) => line.startsWith('::warning'));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^::warning title=Unknown input::Unknown input `pussh`: this action does not read it\./,
      ),
      '::warning title=Ignored input::`username`, `password` and `registry-auth` are ignored with `dry-run: true`: a dry run logs in nowhere.',
      expect.stringMatching(
        /^::warning title=Ignored input::`build-args` `UNUSED` is not declared by any ARG/,
      ),
    ]);
    expect(run.summary).toContain('## 📝 Dry run (nothing was run)');
  });

  it('summary: false writes no summary', async () => {
    const workspace = makeWorkspace({ Dockerfile: `FROM ${environment.baseImage}\n` });
    const run = await runAction({
      inputs: { image: uniqueRepository('nosummary'), 'dry-run': 'true', summary: 'false' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toBe('');
  });
});
