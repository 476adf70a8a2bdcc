import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the proxy does to a request it faults: answer 503 (plain text, as a load balancer would),
 * 429 or 401 (with the registry's JSON error body), reset the connection, or never answer.
 */
export type Fault = '503' | '429' | '401' | 'reset' | 'stall';

const REGISTRY_ERRORS: Record<'429' | '401', { code: string; message: string }> = {
  '429': { code: 'TOOMANYREQUESTS', message: 'too many requests (injected)' },
  '401': { code: 'UNAUTHORIZED', message: 'authentication required (injected)' },
};

/**
 * Which requests of a push can be faulted: `upload` is every request that writes a blob (POST to
 * start an upload or mount, PATCH with data, PUT to finish), `manifest` is the manifest PUT that
 * creates the tag. Reads (ping, HEAD of blobs) always pass, so docker gets as far as writing.
 */
export type Target = 'upload' | 'manifest';

export interface FaultPlan {
  fault: Fault;
  /** How many matching requests to fault, counting from the first; later ones are forwarded. */
  count: number;
  targets: Target[];
}

export interface SeenRequest {
  method: string;
  url: string;
  /** Status sent back, or the fault applied. */
  outcome: number | Fault;
  /** The Location header the registry answered with, when it gave one. */
  location: string | undefined;
  /** The client's User-Agent: docker's and BuildKit's name them; the action's own reads send none. */
  userAgent: string | undefined;
}

export interface FaultProxy {
  /** host:port to push to. */
  host: string;
  requests: SeenRequest[];
  /** Changes the plan (and restarts its count) for the next requests. */
  setPlan(plan: FaultPlan | undefined): void;
  close(): Promise<void>;
}

function targetOf(method: string, url: string): Target | undefined {
  const pathname = url.split('?', 1)[0] ?? '';
  if (/^\/v2\/.+\/blobs\/uploads\//.test(pathname) && ['POST', 'PATCH', 'PUT'].includes(method))
    return 'upload';
  if (/^\/v2\/.+\/manifests\/[^/]+$/.test(pathname) && method === 'PUT') return 'manifest';
  return undefined;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of a registry that breaks the first `count` writes of a push.
 * It forwards the Host header unchanged, so the registry builds its upload Location URLs for the
 * proxy and docker keeps talking to the proxy for the whole push.
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const [upstreamHost, upstreamPort] = upstream.split(':');
  let plan: FaultPlan | undefined;
  let faulted = 0;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const stalled = new Set<http.ServerResponse>();

  const server = http.createServer((request, response) => {
    const method = request.method ?? 'GET';
    const url = request.url ?? '/';
    const userAgent = request.headers['user-agent'];
    const target = targetOf(method, url);
    if (plan !== undefined && target !== undefined && plan.targets.includes(target) && faulted < plan.count) {
      faulted++;
      requests.push({ method, url, outcome: plan.fault, location: undefined, userAgent });
      request.resume();
      if (plan.fault === '503') {
        response.writeHead(503, { 'Content-Type': 'text/plain' }).end('registry unavailable (injected)\n');
      } else if (plan.fault === '429' || plan.fault === '401') {
        const body = JSON.stringify({ errors: [{ ...REGISTRY_ERRORS[plan.fault], detail: null }] });
        response
          .writeHead(Number(plan.fault), {
            'Content-Type': 'application/json',
            'Docker-Distribution-Api-Version': 'registry/2.0',
            ...(plan.fault === '401' ? { 'Www-Authenticate': 'Basic realm="fault-proxy"' } : {}),
          })
          .end(body);
      } else if (plan.fault === 'reset') {
        request.socket.resetAndDestroy();
      } else {
        stalled.add(response); // never answered; closed when the client gives up or the proxy closes
      }
      return;
    }
    const forward = http.request(
      {
        host: upstreamHost,
        port: Number(upstreamPort),
        method,
        path: url,
        headers: request.headers,
      },
      (answer) => {
        const location = answer.headers.location;
        requests.push({ method, url, outcome: answer.statusCode ?? 0, location, userAgent });
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on('error', () => request.socket.destroy());
    request.pipe(forward);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: `127.0.0.1:${port}`,
    requests,
    setPlan(next) {
      plan = next;
      faulted = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        stalled.clear();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A proxy in front of `upstream` for the tests of one file: started before them, closed after them. */
export function proxyForTests(upstream: string): () => FaultProxy {
  let proxy: FaultProxy | undefined;
  beforeAll(async () => {
    proxy = await startFaultProxy(upstream);
  });
  afterAll(async () => {
    await proxy?.close();
  });
  return () => {
    if (proxy === undefined) throw new Error('the proxy starts before the tests');
    return proxy;
  };
}
