// What the docker trio's users need from one step (issue 27): labels from the event, the outputs a
// later step reads, empty secrets, logins to two registries, the image written to a file.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { runAction, runPost } from './harness.js';
import { registryDigest, registryLabels } from './registry.js';
import { copyOnlyApp, docker, makeWorkspace, uniqueRepository } from './workspace.js';

const environment = loadEnvironment();
const dockerConfig = userDockerConfig(environment, true);
const login = loginInputs(environment);

/** A push to main whose event names the repository's description and license, as GitHub's does. */
const PAYLOAD = {
  repository: {
    full_name: 'acme/app',
    default_branch: 'main',
    description: 'The Acme web app',
    license: { key: 'apache-2.0', name: 'Apache License 2.0', spdx_id: 'Apache-2.0' },
  },
};

describe('the trio in one step (buildx)', () => {
  it('labels description and licenses come from the event; labels, annotations, json and metadata outputs', async () => {
    const repository = uniqueRepository('trio-labels');
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, 'labels'));
    const run = await runAction({
      inputs: { image: `${environment.privateRegistry}/${repository}`, ...login, tag: '{ref}\n{short-sha}' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      payload: PAYLOAD,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    const labels = await registryLabels(environment, repository, 'main');
    expect(labels['org.opencontainers.image.description']).toBe('The Acme web app');
    expect(labels['org.opencontainers.image.licenses']).toBe('Apache-2.0');

    // labels: the pushed image's own, KEY=VALUE a line, sorted by key.
    const lines = run.outputs.labels?.split('\n') ?? [];
    expect(lines).toEqual([...lines].sort());
    expect(
      Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      ),
    ).toEqual(labels);
    expect(run.outputs.annotations).toBe('');
    const references = [
      `${environment.privateRegistry}/${repository}:main`,
      `${environment.privateRegistry}/${repository}:${workspace.sha.slice(0, 7)}`,
    ];
    expect(JSON.parse(run.outputs.json ?? '')).toEqual({
      tags: references,
      'tag-names': ['main', workspace.sha.slice(0, 7)],
      labels,
      annotations: [],
    });
    // metadata: what buildx wrote with --metadata-file. It names the image built: its config digest
    // (the image id, except on the containerd store, where docker knows an image by its manifest);
    // Docker 20.10's BuildKit records only containerimage.digest, which is that id there.
    const metadata = JSON.parse(run.outputs.metadata ?? '') as Record<string, unknown>;
    const imageId = docker(['image', 'inspect', '--format', '{{.Id}}', references[0] ?? '']);
    if (environment.leg === 'modern-containerd') {
      expect(metadata['containerimage.config.digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(metadata['containerimage.digest']).toBe(imageId);
    } else if (environment.leg === 'legacy') {
      expect(metadata['containerimage.digest']).toBe(imageId);
    } else {
      expect(metadata['containerimage.config.digest']).toBe(imageId);
    }
    expect(run.outputs.digest).toBe(await registryDigest(environment, repository, 'main'));
  });

  it('no description and a license GitHub cannot name: neither label', async () => {
    const repository = uniqueRepository('trio-nolabels');
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, 'no labels'));
    const run = await runAction({
      inputs: { image: `${environment.privateRegistry}/${repository}`, ...login },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      payload: {
        repository: { ...PAYLOAD.repository, description: null, license: { spdx_id: 'NOASSERTION' } },
      },
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    const labels = await registryLabels(environment, repository, 'main');
    expect(Object.keys(labels)).not.toContain('org.opencontainers.image.description');
    expect(Object.keys(labels)).not.toContain('org.opencontainers.image.licenses');
  });

  it('an empty secret is skipped with a notice and the build goes on (a fork gets empty secrets)', async () => {
    const repository = uniqueRepository('trio-empty-secret');
    const workspace = makeWorkspace({
      Dockerfile: `FROM ${environment.baseImage}\nRUN --mount=type=secret,id=token test ! -s /run/secrets/token && echo no-token > /status\n`,
    });
    const run = await runAction({
      inputs: {
        image: `${environment.privateRegistry}/${repository}`,
        ...login,
        secrets: 'token=',
        'secret-envs': 'other=UNSET_SECRET_VARIABLE',
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain(
      '::notice::Build secret "token" (`secrets`) is empty, so the build goes without it.',
    );
    expect(run.log).toContain(
      '::notice::Build secret "other" (`secret-envs`): environment variable UNSET_SECRET_VARIABLE is not set or empty, so the build goes without it.',
    );
    expect(await registryDigest(environment, repository, 'main')).toMatch(/^sha256:/);
  });

  it('registry-auth: two registries, each with its own user, in one step; the passwords in no argv or log', async () => {
    const repository = uniqueRepository('trio-two-logins');
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, 'two registries'));
    const run = await runAction({
      inputs: {
        image: `${environment.privateRegistry}/${repository}\n${environment.secondRegistry}/${repository}`,
        'registry-auth': [
          `- registry: ${environment.privateRegistry}`,
          `  username: ${environment.user}`,
          `  password: ${environment.password}`,
          `- registry: ${environment.secondRegistry}`,
          `  username: ${environment.secondUser}`,
          `  password: "${environment.secondPassword}"`,
        ].join('\n'),
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
      watchArgv: true,
    });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain(`Log in to ${environment.privateRegistry}`);
    expect(run.log).toContain(`Log in to ${environment.secondRegistry}`);
    // Both pushed, each with its own login; the second registry's image read with its own user.
    expect(await registryDigest(environment, repository, 'main')).toMatch(/^sha256:/);
    const second = await fetch(`http://${environment.secondRegistry}/v2/${repository}/manifests/main`, {
      method: 'HEAD',
      headers: {
        Authorization: `Basic ${Buffer.from(`${environment.secondUser}:${environment.secondPassword}`).toString('base64')}`,
        Accept:
          'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
      },
    });
    expect(second.status).toBe(200);
    for (const password of [environment.password, environment.secondPassword]) {
      expect(run.log).toContain(`::add-mask::${password}`);
      expect(
        run.log
          .split('\n')
          .filter((line) => !line.startsWith('::add-mask::'))
          .join('\n'),
      ).not.toContain(password);
      expect(run.argvSeen.filter((argv) => argv.includes(password))).toEqual([]);
      expect(run.summary).not.toContain(password);
    }
    // Both logins lived in the job's own folder, which main removed; the user's config has neither.
    expect(run.jobDir).toBeDefined();
    expect(existsSync(run.jobDir ?? '/')).toBe(false);
    expect(existsSync(path.join(dockerConfig, 'config.json'))).toBe(false);
    const post = await runPost(run);
    expect(post.exitCode).toBe(0);
  });

  it('a malformed registry-auth fails before anything is built, naming the input and never a password', async () => {
    const repository = uniqueRepository('trio-bad-auth');
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, 'bad auth'));
    const run = await runAction({
      inputs: {
        image: `${environment.privateRegistry}/${repository}`,
        'registry-auth': `- registry: ${environment.secondRegistry}\n  password: s3cret-no-user`,
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.log).toContain('Input `registry-auth`: entry 1 has no username');
    expect(run.log).not.toContain('docker buildx build');
    expect(
      run.log
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain('s3cret-no-user');
  });

  it('outputs: type=docker,dest= writes a file docker load accepts, besides the push; or a clear error where the engine cannot', async () => {
    const repository = uniqueRepository('trio-outputs');
    const workspace = makeWorkspace(copyOnlyApp(environment.baseImage, 'exported'));
    const out = mkdtempSync(path.join(os.tmpdir(), 'bpa-trio-out-'));
    const run = await runAction({
      inputs: {
        image: `${environment.privateRegistry}/${repository}`,
        ...login,
        outputs: `type=docker,dest=${out}/image.tar`,
      },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    if (environment.leg !== 'modern-containerd') {
      // The docker driver on the classic image store has no docker exporter: refused before any build.
      expect(run.exitCode).not.toBe(0);
      expect(run.log).toContain('Input `outputs`:');
      expect(run.log).not.toContain('docker buildx build');
      expect(await registryDigest(environment, repository, 'main')).toBeUndefined();
      return;
    }
    expect(run.exitCode).toBe(0);
    expect(existsSync(path.join(out, 'image.tar'))).toBe(true);
    const reference = `${environment.privateRegistry}/${repository}:main`;
    docker(['image', 'rm', reference]);
    expect(docker(['load', '--input', path.join(out, 'image.tar')])).toContain(reference);
    expect(
      docker([
        'image',
        'inspect',
        '--format',
        '{{index .Config.Labels "org.opencontainers.image.revision"}}',
        reference,
      ]),
    ).toBe(workspace.sha);
    expect(await registryDigest(environment, repository, 'main')).toMatch(/^sha256:/);
    rmSync(out, { recursive: true, force: true });
  });

  it('call: check reports the build checks as annotations on the Dockerfile lines; nothing is built or pushed', async () => {
    const repository = uniqueRepository('trio-call');
    const workspace = makeWorkspace({
      Dockerfile: `FROM ${environment.baseImage} as base\nENV A b\n`,
    });
    const run = await runAction({
      inputs: { image: `${environment.privateRegistry}/${repository}`, ...login, call: 'check' },
      workspace: workspace.dir,
      ref: 'refs/heads/main',
      sha: workspace.sha,
      dockerConfig,
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.log).not.toContain('docker login');
    expect(await registryDigest(environment, repository, 'main')).toBeUndefined();
    if (environment.leg === 'legacy') {
      // buildx 0.13 has no --call: the step says the checks could not run.
      expect(run.log).toContain('Build checks could not run');
      return;
    }
    expect(run.log).toContain('::warning title=Build check FromAsCasing,file=Dockerfile,line=1,endLine=1::');
    expect(run.log).toContain(
      '::warning title=Build check LegacyKeyValueFormat,file=Dockerfile,line=2,endLine=2::',
    );
    expect(run.log).toContain(
      'Build checks found 2 problems in the Dockerfile (FromAsCasing, LegacyKeyValueFormat)',
    );
  });
});
