import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const DOCKER_CERTIFICATES_ROOT = '/etc/docker/certs.d';

/**
 * The first of `hosts` that has a folder under `root`: docker then trusts extra CAs or presents a
 * client certificate for that registry, which a plain fetch would not. Synchronous: a lookup asks
 * at most two paths, and waiting for the thread pool would cost the lookup more than the calls.
 */
export function customCertificatesFolder(
  hosts: readonly string[],
  root = DOCKER_CERTIFICATES_ROOT,
): string | undefined {
  return hosts.map((host) => path.join(root, host)).find((folder) => existsSync(folder));
}
