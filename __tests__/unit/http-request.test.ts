// The shared GET's end-of-run cleanup, against a node:http server that never answers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeConnections, httpRequest } from '../../src/registry/http-request.js';

describe('closeConnections', () => {
  let server: Server;
  let url: URL;
  beforeAll(async () => {
    server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/`);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('ends a read still waiting for its answer at once, long before its deadline', async () => {
    const started = Date.now();
    const waiting = httpRequest(url, { headers: {}, signal: AbortSignal.timeout(30_000) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    closeConnections();
    await expect(waiting).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('later reads still work: the agent opens new connections', async () => {
    closeConnections();
    const answering = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve));
    try {
      const port = (answering.address() as AddressInfo).port;
      const answer = await httpRequest(new URL(`http://127.0.0.1:${port}/`), {
        headers: {},
        signal: AbortSignal.timeout(5_000),
      });
      expect(answer.status).toBe(200);
    } finally {
      answering.closeAllConnections();
      await new Promise((resolve) => answering.close(resolve));
    }
  });
});
