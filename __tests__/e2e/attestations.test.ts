import { loadEnvironment, loginInputs, userDockerConfig } from './environment.js';
import { runAction, runPost } from './harness.js';
import { registryBlobJson, registryDigest, registryManifest, registryTags } from './registry.js';
import { docker, makeWorkspace, uniqueRepository } from './workspace.js';

/**
 * Attestations (provenance, SBOM) and annotations live in the registry's index, so buildx pushes the
 * image itself. Only an engine whose docker driver has the containerd image store makes them: the
 * `modern-containerd` leg of the engine matrix (scripts/legs.sh, BPA_LEG). On the other legs
 * (Docker 20.10, or Docker 28 on overlay2) the same inputs must fail clearly and push nothing.
 */
const LEG = process.env.BPA_LEG ?? 'legacy';
const ATTESTATIONS = LEG === 'modern-containerd';

const environment = loadEnvironment();
const login = loginInputs(environment);

interface Descriptor {
  digest: string;
  mediaType: string;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string };
}

async function run(inputs: Record<string, string>, repository: string) {
  const workspace = makeWorkspace({
    Dockerfile: `FROM ${environment.baseImage}\nRUN echo built > /built.txt\n`,
  });
  const result = await runAction({
    inputs: { image: repository, ...login, ...inputs },
    workspace: workspace.dir,
    ref: 'refs/heads/main',
    sha: workspace.sha,
    dockerConfig: userDockerConfig(environment, true),
  });
  await runPost(result);
  return result;
}

/** The index the tag names, and its attestation manifests (BuildKit's attestation storage). */
async function attestationsOf(repository: string) {
  const index = await registryManifest(environment, repository, 'main');
  const manifests = (index.manifests ?? []) as Descriptor[];
  const attestations = manifests.filter(
    (entry) => entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest',
  );
  const predicateTypes: string[] = [];
  for (const attestation of attestations) {
    const manifest = await registryManifest(environment, repository, attestation.digest);
    for (const layer of (manifest.layers ?? []) as Descriptor[]) {
      predicateTypes.push(layer.annotations?.['in-toto.io/predicate-type'] ?? '');
    }
  }
  return { index, attestations, predicateTypes };
}

(ATTESTATIONS ? describe : describe.skip)(
  `attestations (run on the modern-containerd leg only; this is ${LEG})`,
  () => {
    it("provenance: buildx pushes an index with a provenance attestation; the digest output is the registry's", async () => {
      const repository = uniqueRepository('provenance');
      const result = await run({ provenance: 'mode=max' }, repository);
      expect(result.log).not.toContain('::error');
      expect(result.exitCode).toBe(0);
      expect(result.log).not.toMatch(/\[command\]\S*docker push/);
      const { attestations, predicateTypes } = await attestationsOf(repository);
      expect(attestations).toHaveLength(1);
      expect(predicateTypes.some((type) => type.startsWith('https://slsa.dev/provenance/'))).toBe(true);
      expect(result.outputs.digest).toBe(await registryDigest(environment, repository, 'main'));
      expect(result.summary).toContain('provenance: mode=max');
    });

    it('annotations: on the pushed index', async () => {
      const repository = uniqueRepository('annotations');
      const result = await run(
        {
          annotations: 'index:org.opencontainers.image.description=Built by build-test-push',
          provenance: 'true',
        },
        repository,
      );
      expect(result.log).not.toContain('::error');
      expect(result.exitCode).toBe(0);
      const { index } = await attestationsOf(repository);
      expect(
        (index.annotations as Record<string, string> | undefined)?.['org.opencontainers.image.description'],
      ).toBe('Built by build-test-push');
    });

    it('sbom: a generator image built here (the SBOM protocol) is run by BuildKit; its SPDX document is attached', async () => {
      // A scanner that follows BuildKit's SBOM generator protocol: it writes one in-toto SPDX
      // statement to $BUILDKIT_SCAN_DESTINATION. No Docker Hub here, so it is built and pushed locally.
      const generator = `${environment.publicRegistry}/${uniqueRepository('sbom-generator')}:1`;
      const generatorSource = makeWorkspace({
        Dockerfile: `FROM ${environment.baseImage}\nCOPY scan.sh /scan.sh\nCMD ["/bin/sh", "/scan.sh"]\n`,
        'scan.sh': [
          'set -e',
          'cat > "$BUILDKIT_SCAN_DESTINATION/local.spdx.json" <<EOF',
          '{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document",',
          '"predicate":{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"build-test-push-e2e","dataLicense":"CC0-1.0","packages":[]}}',
          'EOF',
          '',
        ].join('\n'),
      });
      docker(['build', '--quiet', '--tag', generator, generatorSource.dir]);
      docker(['push', '--quiet', generator]);
      const repository = uniqueRepository('sbom');
      const result = await run({ sbom: `generator=${generator}` }, repository);
      expect(result.log).not.toContain('::error');
      expect(result.exitCode).toBe(0);
      const { attestations, predicateTypes } = await attestationsOf(repository);
      expect(attestations).toHaveLength(1);
      expect(predicateTypes).toContain('https://spdx.dev/Document');
      const manifest = await registryManifest(environment, repository, attestations[0]?.digest ?? '');
      const layer = ((manifest.layers ?? []) as Descriptor[]).find(
        (entry) => entry.annotations?.['in-toto.io/predicate-type'] === 'https://spdx.dev/Document',
      );
      const statement = await registryBlobJson(environment, repository, layer?.digest ?? '');
      expect((statement.predicate as Record<string, unknown>).name).toBe('build-test-push-e2e');
    });
  },
);

(ATTESTATIONS ? describe.skip : describe)(
  `attestations refused (run on legs without the containerd image store; this is ${LEG})`,
  () => {
    it("provenance fails with buildx's reason, and nothing is pushed", async () => {
      const repository = uniqueRepository('provenance-refused');
      const result = await run({ provenance: 'true' }, repository);
      expect(result.exitCode).toBe(1);
      expect(result.log).toMatch(
        /::error::Build failed: .*Attestation is not supported for the docker driver/,
      );
      expect(await registryTags(environment, repository)).toEqual([]);
    });
  },
);
