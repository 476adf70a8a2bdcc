import { BlockList, isIP } from 'node:net';
import type { Engine } from '../docker/engine-info.js';

const DAEMON_DEFAULT_CIDRS = ['127.0.0.0/8'];

/**
 * Whether the daemon talks plain HTTP to `host` (host[:port]): listed as insecure, or an IP in one
 * of its insecure CIDRs (127.0.0.0/8 unless configured). The registry reads allow plain HTTP for
 * exactly these, and for no other registry.
 */
export function isInsecureRegistry(host: string, engine: Engine): boolean {
  const insecure = engine.insecureRegistries ?? { hosts: [], cidrs: DAEMON_DEFAULT_CIDRS };
  if (insecure.hosts.includes(host)) return true;
  const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  const ip = name === 'localhost' ? '127.0.0.1' : name;
  const family = isIP(ip);
  if (family === 0) return false;
  const list = new BlockList();
  for (const cidr of insecure.cidrs) {
    const [network, prefix] = cidr.split('/');
    const networkFamily = isIP(network ?? '');
    if (network === undefined || networkFamily === 0 || prefix === undefined) continue;
    list.addSubnet(network, Number(prefix), networkFamily === 6 ? 'ipv6' : 'ipv4');
  }
  return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}
