import type { Engine } from '../docker/engine-info.js';
import { InputError } from '../shared/errors.js';
import type { Settings } from '../inputs/settings.js';
import type { BuildOutput } from './build-flags.js';
import { daemonMajor } from './reproducible.js';

/** BuildKit writes several exporters at once from 0.13 on: Docker 26's own. */
const SEVERAL_EXPORTERS_SINCE = 26;

/**
 * The `outputs` the docker driver cannot write, found before anything runs. Its classic (overlay2)
 * image store has no docker or OCI exporter ("not supported for the docker driver"), and a daemon
 * before Docker 26 writes only one exporter, while the image is also loaded or pushed. A builder of
 * its own (`builder`, not a docker context) has its own BuildKit, which answers for itself.
 */
export function checkExports(
  settings: Pick<Settings, 'exports'>,
  engine: Engine,
  output: BuildOutput,
  ownBuilder: boolean,
): void {
  if (!engine.buildx || ownBuilder || settings.exports.length === 0) return;
  const image = settings.exports.find((entry) => entry.type === 'docker' || entry.type === 'oci');
  if (image !== undefined && engine.containerdStore !== true) {
    throw new InputError(
      'outputs',
      `type=${image.type} cannot be written by buildx's docker driver on Docker's classic image store (overlay2); turn on the containerd image store (daemon.json "features": {"containerd-snapshotter": true}), or build with a builder of its own (docker/setup-buildx-action, driver docker-container, then \`builder\`), or write type=tar or type=local instead`,
    );
  }
  const major = daemonMajor(engine.serverVersion);
  if (output !== 'none' && major !== undefined && major < SEVERAL_EXPORTERS_SINCE) {
    throw new InputError(
      'outputs',
      `Docker ${engine.serverVersion}'s BuildKit writes one output only, and this build already loads or pushes the image; use Docker 26 or later, or a builder of its own (docker/setup-buildx-action, driver docker-container, then \`builder\`)`,
    );
  }
}
