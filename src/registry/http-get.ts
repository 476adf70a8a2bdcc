// One GET over node:http(s). Not the global fetch: its first call in a process loads undici,
// which costs ~80 ms, more than the whole registry read this module exists to make cheap.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** Manifests are at most 4 MiB in the reference registry; image configs are far below this. */
const MAX_BODY = 16 * 1024 * 1024;

function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/** GETs `url` without following redirects; rejects on network errors, on abort and on huge bodies. */
export function httpGet(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<HttpAnswer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'GET', headers, signal }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          response.destroy(new Error(`the answer is larger than ${MAX_BODY} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: toHeaders(response.headers),
          body: new Uint8Array(Buffer.concat(chunks)),
        });
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
