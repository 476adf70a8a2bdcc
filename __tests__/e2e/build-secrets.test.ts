import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { BUILDERS, loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { type ActionRun, runAction, runPost } from './harness.js';
import { registryTags } from './registry.js';
import { docker, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const login = loginInputs(environment);
/**
 * The engine leg (scripts/legs.sh on the modern-engine matrix; `legacy` before it): Docker 20.10's own
 * BuildKit, which the legacy leg's buildx builds on, ignores --shm-size and --ulimit and has no named
 * build contexts.
 */
const LEGACY_BUILDKIT = (process.env.BPA_LEG ?? 'legacy') === 'legacy';
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

// Three secrets, one per input; the first spans lines, as a private key or a .netrc does.
const PIP_TOKEN = `pip-${Math.random().toString(36).slice(2)}-line-one\npip-second-line-${Date.now()}`;
const FILE_SECRET = `file-secret-${Math.random().toString(36).slice(2)}`;
const ENV_SECRET = `env-secret-${Math.random().toString(36).slice(2)}`;

/** Each RUN hashes one secret into the image: the image proves the build saw it, never holding it. */
const SECRET_DOCKERFILE = (base: string) => `FROM ${base}
RUN --mount=type=secret,id=pip_token sha256sum /run/secrets/pip_token | cut -d' ' -f1 > /pip.sha256
RUN --mount=type=secret,id=from_file sha256sum /run/secrets/from_file | cut -d' ' -f1 > /file.sha256
RUN --mount=type=secret,id=from_env sha256sum /run/secrets/from_env | cut -d' ' -f1 > /env.sha256
RUN --mount=type=ssh,id=deploy test -S "$SSH_AUTH_SOCK" && echo ssh-agent-socket > /ssh.txt
`;

/** Pulls from the private registry with a login of its own, so the image read is the pushed one. */
function pullPushed(reference: string): void {
  const config = userDockerConfig(environment, false);
  const env = { DOCKER_CONFIG: config };
  docker(
    ['login', '--username', environment.user, '--password-stdin', environment.privateRegistry],
    env,
    environment.password,
  );
  docker(['pull', '--quiet', reference], env);
}

function readFromImage(reference: string, file: string): string {
  return docker(['run', '--rm', '--entrypoint', 'cat', reference, file]);
}

/** Every byte of the image as docker holds it: the config and each layer, uncompressed. */
function imageBytes(reference: string): Buffer {
  return execFileSync('docker', ['save', reference], { maxBuffer: 1 << 30 });
}

/** No secret is in any log line the runner shows, the summary, the outputs, the state or any argv. */
function expectSecretNowhere(run: ActionRun, postLog: string, secret: string): void {
  const pieces = [secret, ...secret.split('\n')].filter((piece) => piece.length > 0);
  // The runner swallows `::add-mask::`; each value and each of its lines must have been masked.
  const lines = run.log.split('\n');
  for (const piece of pieces) expect(lines).toContain(`::add-mask::${piece.replace(/\n/g, '%0A')}`);
  const shown = lines.filter((line) => !line.startsWith('::add-mask::')).join('\n');
  for (const piece of pieces) {
    expect(shown).not.toContain(piece);
    expect(postLog).not.toContain(piece);
    expect(run.summary).not.toContain(piece);
    expect(JSON.stringify(run.outputs)).not.toContain(piece);
    expect(JSON.stringify(run.state)).not.toContain(piece);
    expect(run.argvSeen.filter((argv) => argv.includes(piece))).toEqual([]);
  }
}

describe('build secrets, SSH and build contexts with buildx', () => {
  it('the build sees each secret (its hash is in the image); the image, history, log, summary and argv never hold it', async () => {
    const repository = uniqueRepository('secrets');
    const workspace = makeWorkspace({
      'app/Dockerfile': SECRET_DOCKERFILE(environment.baseImage),
      // Outside the build context: the build reads it only as a secret.
      'private/token.txt': FILE_SECRET,
    });
    mkdirSync(path.join(workspace.dir, 'keys'));
    const key = path.join(workspace.dir, 'keys', 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const run = await runAction({
      inputs: {
        image: repository,
        ...login,
        context: 'app',
        secrets: `"pip_token=${PIP_TOKEN}"`,
        'secret-files': 'from_file=private/token.txt',
        'secret-envs': 'from_env=MY_ENV_SECRET',
        ssh: 'deploy=keys/id_ed25519',
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, true),
      env: { MY_ENV_SECRET: ENV_SECRET },
      watchArgv: true,
    });
    const post = await runPost(run);
    expect(run.log).not.toContain('::error');
    expect(run.exitCode).toBe(0);
    const reference = `${environment.privateRegistry}/${repository}:main`;
    expect(await registryTags(environment, repository)).toEqual(['main']);
    pullPushed(reference);
    expect(readFromImage(reference, '/pip.sha256')).toBe(sha256(PIP_TOKEN));
    expect(readFromImage(reference, '/file.sha256')).toBe(sha256(FILE_SECRET));
    expect(readFromImage(reference, '/env.sha256')).toBe(sha256(ENV_SECRET));
    expect(readFromImage(reference, '/ssh.txt')).toBe('ssh-agent-socket');

    const history = docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', reference]);
    expect(history).toContain('sha256sum /run/secrets/pip_token');
    const bytes = imageBytes(reference);
    for (const secret of [PIP_TOKEN, ...PIP_TOKEN.split('\n'), FILE_SECRET]) {
      expect(history).not.toContain(secret);
      expect(bytes.includes(secret)).toBe(false);
    }
    // The secrets reached buildx by name only: the argv names the variable and the file, never a value.
    const build = run.argvSeen.find((argv) => argv.includes('buildx build') && argv.includes(repository));
    expect(build).toContain('--secret id=pip_token,env=BUILD_TEST_PUSH_SECRET_1');
    expect(build).toContain(`--secret id=from_file,src=${workspace.dir}/private/token.txt`);
    expect(build).toContain('--secret id=from_env,env=MY_ENV_SECRET');
    expectSecretNowhere(run, post.log, PIP_TOKEN);
    // The env variable's value is masked too, in case the workflow did not mask it itself.
    expect(run.log.split('\n')).toContain(`::add-mask::${ENV_SECRET}`);
    const shown = run.log.replace(/^::add-mask::.*$/gm, '');
    for (const secret of [FILE_SECRET, ENV_SECRET]) {
      expect(shown).not.toContain(secret);
      expect(run.summary).not.toContain(secret);
      expect(run.argvSeen.filter((argv) => argv.includes(secret))).toEqual([]);
    }
    expect(run.summary).toContain('build secrets: pip_token, from_file, from_env');
  });

  it.each([
    [
      'secret-files names a missing file',
      { 'secret-files': 'tok=nope.txt' },
      /Input `secret-files`: file .*nope\.txt \(secret "tok"\) does not exist/,
    ],
  ])('%s: an error naming the input before anything runs', async (_name, inputs, message) => {
    const workspace = makeWorkspace({ Dockerfile: `FROM ${environment.baseImage}\n` });
    const run = await runAction({
      inputs: { image: uniqueRepository('secret-missing'), ...login, ...inputs },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, true),
    });
    await runPost(run);
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(message);
    expect(run.log).not.toMatch(/\[command\]\S*docker (build|buildx|push|login)/);
  });
});

describe('build-contexts with buildx', () => {
  it(
    LEGACY_BUILDKIT
      ? "on Docker 20.10 (no named contexts in its BuildKit): fails with BuildKit's reason, pushes nothing"
      : 'a named context (path relative to working-directory) is what COPY --from reads',
    async () => {
      const repository = uniqueRepository('contexts');
      const workspace = makeWorkspace({
        'app/Dockerfile': `FROM ${environment.baseImage}\nCOPY --from=extra note.txt /note.txt\n`,
        'extra/note.txt': 'from the extra context\n',
      });
      const run = await runAction({
        inputs: { image: repository, ...login, context: 'app', 'build-contexts': 'extra=extra' },
        workspace: workspace.dir,
        ref: 'refs/heads/main',
        sha: workspace.sha,
        dockerConfig: userDockerConfig(environment, true),
      });
      await runPost(run);
      if (LEGACY_BUILDKIT) {
        expect(run.exitCode).toBe(1);
        expect(run.log).toMatch(
          /::error::Build failed: .*unsupported frontend capability moby\.buildkit\.frontend\.contexts/,
        );
        expect(await registryTags(environment, repository)).toEqual([]);
        return;
      }
      expect(run.log).not.toContain('::error');
      expect(run.exitCode).toBe(0);
      const reference = `${environment.privateRegistry}/${repository}:main`;
      pullPushed(reference);
      expect(readFromImage(reference, '/note.txt')).toBe('from the extra context');
    },
  );
});

describe('the classic builder', () => {
  it.each([
    ['secrets', 'tok=hunter2-classic'],
    ['ssh', 'default'],
    ['build-contexts', 'extra=../extra'],
    ['provenance', 'mode=max'],
  ])('refuses `%s` by name, and builds nothing', async (input, value) => {
    const repository = uniqueRepository('classic-refuses');
    const workspace = makeWorkspace({ Dockerfile: `FROM ${environment.baseImage}\n` });
    const run = await runAction({
      inputs: { image: repository, ...login, [input]: value },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, false),
      env: { SSH_AUTH_SOCK: '/tmp/agent.sock' },
    });
    await runPost(run);
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(`::error::Input \`${input}\`: needs docker buildx`);
    expect(run.log).not.toMatch(/\[command\]\S*docker (build|push)/);
    expect(run.log.replace(/^::add-mask::.*$/gm, '')).not.toContain('hunter2-classic');
    expect(await registryTags(environment, repository)).toEqual([]);
  });
});

describe.each(BUILDERS)('build flags with %s', (_name, buildx) => {
  it('no-cache, pull, network, add-hosts, shm-size and ulimit reach the RUN steps; the summary says so', async () => {
    const repository = uniqueRepository('flags');
    const workspace = makeWorkspace({
      Dockerfile: `FROM ${environment.baseImage}
RUN ls /sys/class/net > /net.txt && grep db.internal /etc/hosts > /hosts.txt && df -k /dev/shm | tail -n 1 | awk '{print $2}' > /shm.txt && ulimit -n > /nofile.txt
`,
    });
    const run = await runAction({
      inputs: {
        image: repository,
        ...login,
        'no-cache': 'true',
        pull: 'true',
        network: 'none',
        'add-hosts': 'db.internal:10.9.8.7',
        'shm-size': '96m',
        ulimit: 'nofile=1024:2048',
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig: userDockerConfig(environment, buildx),
      watchArgv: true,
    });
    await runPost(run);
    expect(run.log).not.toContain('::error');
    expect(run.exitCode).toBe(0);
    const reference = `${environment.privateRegistry}/${repository}:main`;
    pullPushed(reference);
    expect(readFromImage(reference, '/net.txt')).toBe('lo');
    expect(readFromImage(reference, '/hosts.txt')).toMatch(/^10\.9\.8\.7\s+db\.internal$/);
    // Docker 20.10's own BuildKit (the legacy leg's buildx builds there) ignores --shm-size: 64 MiB stays.
    const honoured = !buildx || !LEGACY_BUILDKIT;
    expect(readFromImage(reference, '/shm.txt')).toBe(String((honoured ? 96 : 64) * 1024));
    if (honoured) expect(readFromImage(reference, '/nofile.txt')).toBe('1024');
    else expect(readFromImage(reference, '/nofile.txt')).not.toBe('1024');
    // No registry cache: nothing pulled for it, no cache source named.
    expect(run.log).not.toContain('Pull cache image');
    const build =
      // docker's own argv: the runner starts a command without stdin as `sh -c 'exec "$@" </dev/null' sh docker …`.
      run.argvSeen.find(
        (argv) => /^\S*docker (buildx )?build .*--no-cache/.test(argv) && argv.includes(repository),
      ) ?? '';
    expect(build).toMatch(buildx ? /(^|\/)docker buildx build / : /(^|\/)docker build /);
    expect(build).toContain('--pull');
    expect(build).not.toContain('--cache-from');
    if (!buildx) expect(run.log).toMatch(/Status: Image is up to date for|Pulling from library\/busybox/);
    expect(run.summary).toContain('no cache: every step built anew, the registry cache not used');
    expect(run.summary).toContain('base images pulled fresh');
  });
});
