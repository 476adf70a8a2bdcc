// One GET over node:http(s). Not the global fetch: its first call in a process loads undici,
// which costs ~80 ms, more than the whole registry read this module exists to make cheap.
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { http } from '../node-http.js';

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

/** Manifests are at most 4 MiB in the reference registry; image configs are far below this. */
const MAX_BODY = 16 * 1024 * 1024;

// The global Headers class would do, but touching it loads undici (~30 ms), as fetch would.
export function answerHeaders(incoming: IncomingHttpHeaders): AnswerHeaders {
  return {
    get(name) {
      const value = incoming[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** GETs `url` without following redirects; rejects on network errors, on abort and on huge bodies. */
export function httpGet(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<HttpAnswer> {
  const request = url.protocol === 'https:' ? httpsRequest : http.request;
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
          headers: answerHeaders(response.headers),
          body: new Uint8Array(Buffer.concat(chunks)),
        });
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
