// One request over node:http(s) for the registry reads: direct, or through the proxy the
// environment names (CONNECT for https, the absolute URL for plain http), with the TLS settings
// docker uses for the registry (certs.d's CAs and client certificate, no verification when insecure).
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import * as tls from 'node:tls';

/** An answer's headers, read by name; the value of a repeated header is joined by ", ". */
export type AnswerHeaders = Pick<Headers, 'get'>;

export interface HttpAnswer {
  status: number;
  headers: AnswerHeaders;
  body: Uint8Array;
}

/** How a request reaches its server. */
export interface Route {
  /** The proxy to go through (see proxyFor); undefined: direct. */
  proxy?: URL | undefined;
  /** CAs, client certificate and verification for https servers. */
  tls?: tls.ConnectionOptions | undefined;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  /** A form body (POST). */
  body?: string;
  signal: AbortSignal;
  route?: Route;
}

/** Manifests are at most 4 MiB in the reference registry; image configs and /info are far below. */
const MAX_BODY = 16 * 1024 * 1024;

/** The Fetch API's Headers of a node:http answer. */
export function answerHeaders(incoming: http.IncomingHttpHeaders): AnswerHeaders {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.append(name, one);
  }
  return headers;
}

function defaultPort(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
}

/** `Proxy-Authorization` for a proxy URL that carries a login. */
function proxyHeaders(proxy: URL): Record<string, string> {
  if (proxy.username === '') return {};
  const login = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(login).toString('base64')}` };
}

function checkProxy(proxy: URL): void {
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new Error(`the proxy for the registry is ${proxy.protocol.replace(/:$/, '')}, not http(s)`);
  }
}

/** The tunnels still open, which no agent holds (see closeConnections). */
const tunnels = new Set<Socket>();

/** A socket to `target` through the proxy's CONNECT tunnel. */
function tunnel(
  proxy: URL,
  target: URL,
  signal: AbortSignal,
  options: tls.ConnectionOptions,
): Promise<Socket> {
  checkProxy(proxy);
  const request = (proxy.protocol === 'https:' ? https : http).request;
  const authority = `${target.hostname}:${defaultPort(target)}`;
  return new Promise<Socket>((resolve, reject) => {
    const connect = request({
      host: proxy.hostname,
      port: defaultPort(proxy),
      method: 'CONNECT',
      path: authority,
      headers: { Host: authority, ...proxyHeaders(proxy) },
      agent: false,
      signal,
    });
    connect.on('connect', (answer, socket) => {
      if (answer.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(
          new Error(`the proxy ${proxy.host} answered ${answer.statusCode ?? 0} to CONNECT ${authority}`),
        );
      }
    });
    connect.on('error', reject);
    connect.end();
  }).then((socket) => {
    const secure = tls.connect({ ...options, socket, servername: target.hostname });
    tunnels.add(secure);
    secure.on('close', () => tunnels.delete(secure));
    return secure;
  });
}

/** Where the request goes and how: the server itself, the proxy's tunnel, or the proxy for plain http. */
async function requestOptions(target: URL, request: HttpRequest): Promise<https.RequestOptions> {
  const { proxy, tls: tlsOptions = {} } = request.route ?? {};
  const base = { method: request.method ?? 'GET', headers: request.headers, signal: request.signal };
  const secure = target.protocol === 'https:';
  if (proxy === undefined) return { ...base, ...(secure ? tlsOptions : {}) };
  if (secure) {
    const socket = await tunnel(proxy, target, request.signal, tlsOptions);
    return { ...base, createConnection: () => socket };
  }
  checkProxy(proxy);
  return {
    ...base,
    host: proxy.hostname,
    port: defaultPort(proxy),
    path: target.href,
    headers: { ...request.headers, Host: target.host, ...proxyHeaders(proxy) },
  };
}

/**
 * Sends one request to `target` without following redirects; rejects on network errors, on
 * abort, on a connection that closes before the answer is complete, and on bodies larger than `maxBody`.
 */
export async function httpRequest(
  target: URL,
  request: HttpRequest,
  maxBody = MAX_BODY,
): Promise<HttpAnswer> {
  const options = await requestOptions(target, request);
  // Through a plain-http proxy the request goes to the proxy's own address.
  const viaProxy = request.route?.proxy !== undefined && target.protocol === 'http:';
  const send = target.protocol === 'https:' && !viaProxy ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const answer = (response: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      let ended = false;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) response.destroy(new Error(`the answer is larger than ${maxBody} bytes`));
        else chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        ended = true;
        resolve({
          status: response.statusCode ?? 0,
          headers: answerHeaders(response.headers),
          body: new Uint8Array(Buffer.concat(chunks)),
        });
      });
      response.on('close', () => {
        if (!ended) reject(new Error('the connection closed before the answer was complete'));
      });
    };
    const outgoing = viaProxy ? send(options, answer) : send(target, options, answer);
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/**
 * Ends every connection the registry reads opened, idle or not, once the run is over: a read still
 * on its way (a lookup started early by a run that then stopped) must not keep the process alive
 * until its deadline.
 */
export function closeConnections(): void {
  http.globalAgent.destroy();
  https.globalAgent.destroy();
  for (const socket of tunnels) socket.destroy();
}
