import { access } from 'node:fs/promises';
import * as path from 'node:path';

export const DOCKER_CERTIFICATES_ROOT = '/etc/docker/certs.d';

/**
 * The first of `hosts` that has a folder under `root`: docker then trusts extra CAs or presents a
 * client certificate for that registry, which a plain fetch would not.
 */
export async function customCertificatesFolder(
  hosts: readonly string[],
  root = DOCKER_CERTIFICATES_ROOT,
): Promise<string | undefined> {
  for (const host of hosts) {
    const folder = path.join(root, host);
    const exists = await access(folder).then(
      () => true,
      () => false,
    );
    if (exists) return folder;
  }
  return undefined;
}
