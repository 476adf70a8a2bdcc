// One GET over node:http(s) for the registry reads.
import * as http from 'node:http';
import * as https from 'node:https';

/** An answer's headers, read by name; the value of a repeated header is joined by ", ". */
export type AnswerHeaders = Pick<Headers, 'get'>;

export interface HttpAnswer {
  status: number;
  headers: AnswerHeaders;
  body: Uint8Array;
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

/**
 * GETs `target` without following redirects; rejects on network errors, on abort, on a connection
 * that closes before the answer is complete, and on bodies larger than `maxBody`.
 */
export function httpGet(
  target: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  maxBody = MAX_BODY,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = target.protocol === 'https:' ? https.request : http.request;
    const outgoing = request(target, { method: 'GET', headers, signal }, (response) => {
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
  https.globalAgent.destroy();
}
