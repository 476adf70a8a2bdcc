// The TLS settings docker uses for a registry, read from /etc/docker/certs.d/<host>/ as docker's
// registry package reads it: every `*.crt` is a CA added to the system's, a `*.cert` with the
// `*.key` of the same name is the client certificate presented.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import { Uncertain } from './uncertain.js';

export const DOCKER_CERTIFICATES_ROOT = '/etc/docker/certs.d';

/**
 * The TLS options for the registry known by `hosts` (the first with a folder under `root`), and
 * no verification at all for a registry docker treats as insecure, as docker does.
 */
export function registryTls(
  hosts: readonly string[],
  insecure: boolean,
  root = DOCKER_CERTIFICATES_ROOT,
): ConnectionOptions {
  const options: ConnectionOptions = insecure ? { rejectUnauthorized: false } : {};
  const folder = hosts.map((host) => path.join(root, host)).find((candidate) => existsSync(candidate));
  if (folder === undefined) return options;
  const names = readdirSync(folder).sort();
  const read = (name: string): string => readFileSync(path.join(folder, name), 'utf8');
  const cas = names.filter((name) => name.endsWith('.crt')).map(read);
  if (cas.length > 0) options.ca = [...rootCertificates, ...cas];
  const cert = names.find((name) => name.endsWith('.cert'));
  if (cert !== undefined) {
    const key = cert.replace(/\.cert$/, '.key');
    if (!names.includes(key)) throw new Uncertain(`${path.join(folder, cert)} has no ${key} beside it`);
    options.cert = read(cert);
    options.key = read(key);
  }
  return options;
}
