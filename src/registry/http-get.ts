// One GET over node:http(s), for the registry reads and the engine probe. Not the global fetch: its
// first call in a process loads undici, which costs ~80 ms, more than the work it would serve.
import { createRequire } from 'node:module';
import type * as Http from 'node:http';
import type * as Https from 'node:https';

// On Node 24, `import … from 'node:http'` builds the module's ESM namespace, which reads every export;
// one of them loads undici, ~60 ms of start-up. require() reads only what is used (~10 ms).
const requireBuiltin = createRequire(import.meta.url);
const http = requireBuiltin('node:http') as typeof Http;
// node:https (with node:tls) takes ~20 ms to load: only runs that speak HTTPS pay for it.
let https: typeof Https | undefined;
function httpsRequest(
  url: URL,
  options: Https.RequestOptions,
  onResponse: (response: Http.IncomingMessage) => void,
): Http.ClientRequest {
  https ??= requireBuiltin('node:https') as typeof Https;
  return https.request(url, options, onResponse);
}

/** An answer's headers, read by name as the Fetch API's Headers would (without loading undici). */
export interface AnswerHeaders {
  /** The header's value, repeated ones joined by ", "; null when absent. */
  get(name: string): string | null;
}

export interface HttpAnswer {
  status: number;
  headers: AnswerHeaders;
  body: Uint8Array;
}

/** A URL, or a path on a unix socket (the Docker daemon's). */
export type GetTarget = URL | { socketPath: string; path: string };

/** Manifests are at most 4 MiB in the reference registry; image configs and /info are far below. */
const MAX_BODY = 16 * 1024 * 1024;

// The global Headers class would do, but touching it loads undici (~30 ms), as fetch would.
export function answerHeaders(incoming: Http.IncomingHttpHeaders): AnswerHeaders {
  return {
    get(name) {
      const value = incoming[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

function send(
  target: GetTarget,
  headers: Record<string, string>,
  signal: AbortSignal,
  onResponse: (response: Http.IncomingMessage) => void,
): Http.ClientRequest {
  if (!(target instanceof URL)) {
    // No keep-alive: one probe per run, and an idle socket to the daemon is of no use afterwards.
    // An empty servername (a TLS name, unused here) spares the agent's IP check of the default host,
    // whose first use compiles the IPv6 pattern (~5 ms of start-up).
    const { socketPath, path } = target;
    const options = { socketPath, path, method: 'GET', headers, signal, agent: false, servername: '' };
    return http.request(options, onResponse);
  }
  const options = { method: 'GET', headers, signal };
  return target.protocol === 'https:'
    ? httpsRequest(target, options, onResponse)
    : http.request(target, options, onResponse);
}

/**
 * GETs `target` without following redirects; rejects on network errors, on abort, on a connection
 * that closes before the answer is complete, and on bodies larger than `maxBody`.
 */
export function httpGet(
  target: GetTarget,
  headers: Record<string, string>,
  signal: AbortSignal,
  maxBody = MAX_BODY,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = send(target, headers, signal, (response) => {
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
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * Ends every connection the registry reads opened, idle or not, once the run is over: a read still
 * on its way (a lookup started early by a run that then stopped) must not keep the process alive
 * until its deadline.
 */
export function closeConnections(): void {
  http.globalAgent.destroy();
  https?.globalAgent.destroy();
}
