// The proxy a request goes through, by the rules of Go's golang.org/x/net/http/httpproxy, which
// docker and buildx use: HTTPS_PROXY for https, HTTP_PROXY for http (upper case first), never for
// a loopback host, nor for a host NO_PROXY excludes (names, domains, host:port, CIDRs).
import { BlockList, isIP } from 'node:net';

function variable(env: NodeJS.ProcessEnv, name: string): { name: string; value: string } | undefined {
  for (const key of [name.toUpperCase(), name.toLowerCase()]) {
    const value = env[key];
    if (value !== undefined && value !== '') return { name: key, value };
  }
  return undefined;
}

function stripBrackets(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIP(host);
  if (family === 0) return false;
  const loopback = new BlockList();
  loopback.addSubnet('127.0.0.0', 8, 'ipv4');
  loopback.addAddress('::1', 'ipv6');
  return loopback.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

/** Splits a NO_PROXY entry into host and port; IPv6 addresses without a port stay whole. */
function splitEntry(entry: string): { host: string; port: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) return { host: bracketed[1] ?? '', port: bracketed[2] ?? '' };
  if (isIP(entry) === 6) return { host: entry, port: '' };
  const withPort = /^(.*):(\d+)$/.exec(entry);
  return withPort === null ? { host: entry, port: '' } : { host: withPort[1] ?? '', port: withPort[2] ?? '' };
}

function excludedBy(entry: string, host: string, port: string): boolean {
  if (entry.includes('/')) {
    const [network = '', prefix = ''] = entry.split('/');
    const family = isIP(network);
    if (family === 0 || isIP(host) !== family || !/^\d+$/.test(prefix)) return false;
    const list = new BlockList();
    const type = family === 6 ? 'ipv6' : 'ipv4';
    try {
      list.addSubnet(network, Number(prefix), type);
    } catch {
      return false;
    }
    return list.check(host, type);
  }
  const split = splitEntry(entry);
  if (split.port !== '' && split.port !== port) return false;
  if (isIP(split.host) !== 0) return split.host === host;
  const domain = split.host.startsWith('*.') ? split.host.slice(1) : split.host;
  // "example.com" covers the domain and its subdomains, ".example.com" only the subdomains.
  if (domain.startsWith('.')) return host.endsWith(domain);
  return host === domain || host.endsWith(`.${domain}`);
}

function excludedByNoProxy(noProxy: string, host: string, port: string): boolean {
  if (noProxy.trim() === '*') return true;
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
    .some((entry) => excludedBy(entry, host, port));
}

/**
 * The proxy a request to `url` goes through, or undefined when it goes direct: no variable set, a
 * loopback host, or an exclusion in NO_PROXY. A value without a scheme is an http:// proxy, as in Go.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const scheme = url.protocol.replace(/:$/, '');
  const proxy = variable(env, `${scheme}_proxy`);
  if (proxy === undefined) return undefined;
  const host = stripBrackets(url.hostname.toLowerCase());
  if (isLoopback(host)) return undefined;
  const port = url.port !== '' ? url.port : scheme === 'https' ? '443' : '80';
  const noProxy = variable(env, 'no_proxy');
  if (noProxy !== undefined && excludedByNoProxy(noProxy.value, host, port)) return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy.value) ? proxy.value : `http://${proxy.value}`);
  } catch {
    throw new Error(`${proxy.name} is not a valid proxy URL`);
  }
}
