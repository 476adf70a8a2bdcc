// A Registry API v2 served in-process on 127.0.0.1 for the registry client's tests: manifests and
// blobs from memory, no auth, Basic auth, or Bearer tokens from its own /token endpoint.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export type AuthMode = 'none' | 'basic' | 'bearer';

export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  accept: string | undefined;
}

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export function sha256(body: string | Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

interface Stored {
  body: Buffer;
  mediaType: string;
}

/** Answers a request before the registry does; returns true when it did. */
export type Interceptor = (request: IncomingMessage, response: ServerResponse) => boolean;

export class FakeRegistry {
  readonly requests: RecordedRequest[] = [];
  readonly issuedTokens = new Set<string>();
  /** Send Docker-Content-Digest with manifests (registries may leave it out). */
  digestHeader = true;
  /** The token endpoint's field for the token: `token` (Docker Hub) or `access_token` (OAuth). */
  tokenField: 'token' | 'access_token' = 'token';
  /** With Bearer auth: whether the token server hands anonymous pull tokens. */
  anonymousPull = false;
  interceptor: Interceptor | undefined;
  /** Connections that began with something other than HTTP (a TLS handshake, say). */
  notHttp = 0;
  /** The identity token the token server trades for an access token (OAuth, a POSTed form). */
  identityToken: string | undefined;
  scheme: 'http' | 'https' = 'http';
  private readonly manifests = new Map<string, Stored>();
  private readonly blobs = new Map<string, Buffer>();

  private constructor(
    private readonly server: Server,
    readonly auth: AuthMode,
    readonly user: string,
    readonly password: string,
  ) {}

  static async start(
    auth: AuthMode,
    user = 'ci-user',
    password = 'pa55:w0rd/+secret',
    tls?: { key: string; cert: string },
  ): Promise<FakeRegistry> {
    const server = tls === undefined ? createServer() : createTlsServer(tls);
    const registry = new FakeRegistry(server, auth, user, password);
    registry.scheme = tls === undefined ? 'http' : 'https';
    server.on('request', (request, response) => {
      registry.handle(request, response);
    });
    server.on('clientError', (_error, socket) => {
      registry.notHttp += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return registry;
  }

  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  /** Stores a blob; returns its digest. */
  putBlob(repository: string, body: string | Buffer): string {
    const digest = sha256(body);
    this.blobs.set(`${repository}@${digest}`, Buffer.from(body));
    return digest;
  }

  /** A stored blob's bytes. */
  blob(repository: string, digest: string): Buffer | undefined {
    return this.blobs.get(`${repository}@${digest}`);
  }

  /** Stores a manifest under its digest and, when given, a tag; returns its digest. */
  putManifest(repository: string, manifest: object, tag?: string): string {
    const body = Buffer.from(JSON.stringify(manifest));
    const digest = sha256(body);
    const mediaType = (manifest as { mediaType?: string }).mediaType ?? DOCKER_MANIFEST;
    this.manifests.set(`${repository}@${digest}`, { body, mediaType });
    if (tag !== undefined) this.manifests.set(`${repository}:${tag}`, { body, mediaType });
    return digest;
  }

  /** An image whose config holds `labels`; returns its manifest and config digests. */
  putImage(
    repository: string,
    labels: Record<string, string> | null,
    tag?: string,
    mediaType = DOCKER_MANIFEST,
    platform: Record<string, string> = { architecture: 'amd64', os: 'linux' },
  ): { digest: string; configDigest: string } {
    const config = JSON.stringify({ ...platform, config: { Labels: labels } });
    const configDigest = this.putBlob(repository, config);
    const digest = this.putManifest(
      repository,
      {
        schemaVersion: 2,
        mediaType,
        config: {
          mediaType: 'application/vnd.docker.container.image.v1+json',
          digest: configDigest,
          size: config.length,
        },
        layers: [],
      },
      tag,
    );
    return { digest, configDigest };
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', `http://${this.host}`);
    this.requests.push({
      path: url.pathname + url.search,
      authorization: request.headers.authorization,
      accept: request.headers.accept,
    });
    if (this.interceptor?.(request, response) === true) return;
    if (url.pathname === '/token') {
      this.token(request, url, response);
      return;
    }
    if (!this.authorized(request.headers.authorization)) {
      const challenge =
        this.auth === 'basic'
          ? 'Basic realm="fake"'
          : `Bearer realm="${this.scheme}://${this.host}/token",service="fake-registry",scope="repository:x:pull"`;
      this.json(
        response,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
        {
          'WWW-Authenticate': challenge,
        },
      );
      return;
    }
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (match === null) {
      this.json(response, 404, { errors: [{ code: 'NOT_FOUND' }] });
      return;
    }
    const [, repository = '', kind, reference = ''] = match;
    if (kind === 'blobs') {
      const blob = this.blobs.get(`${repository}@${reference}`);
      if (blob === undefined) this.json(response, 404, { errors: [{ code: 'BLOB_UNKNOWN' }] });
      else response.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(blob);
      return;
    }
    const separator = reference.startsWith('sha256:') ? '@' : ':';
    const stored = this.manifests.get(`${repository}${separator}${reference}`);
    if (stored === undefined) {
      const known = [...this.manifests.keys()].some((key) => key.startsWith(`${repository}:`));
      this.json(response, 404, { errors: [{ code: known ? 'MANIFEST_UNKNOWN' : 'NAME_UNKNOWN' }] });
      return;
    }
    response
      .writeHead(200, {
        'Content-Type': stored.mediaType,
        ...(this.digestHeader ? { 'Docker-Content-Digest': sha256(stored.body) } : {}),
      })
      .end(stored.body);
  }

  private basicValue(): string {
    return `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`;
  }

  private authorized(header: string | undefined): boolean {
    if (this.auth === 'none') return true;
    if (this.auth === 'basic') return header === this.basicValue();
    return header !== undefined && this.issuedTokens.has(header.replace(/^Bearer /, ''));
  }

  private token(request: IncomingMessage, url: URL, response: ServerResponse): void {
    if (request.method === 'POST') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        const valid =
          form.get('grant_type') === 'refresh_token' &&
          form.get('client_id') === 'docker' &&
          form.get('service') === 'fake-registry' &&
          form.get('scope')?.endsWith(':pull') === true &&
          this.identityToken !== undefined &&
          form.get('refresh_token') === this.identityToken;
        if (!valid) {
          this.json(response, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad refresh token' }] });
          return;
        }
        const token = `tok-${randomBytes(12).toString('hex')}`;
        this.issuedTokens.add(token);
        this.json(response, 200, { access_token: token, expires_in: 300 });
      });
      return;
    }
    const withLogin = request.headers.authorization === this.basicValue();
    if (!withLogin && (request.headers.authorization !== undefined || !this.anonymousPull)) {
      this.json(response, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad login' }] });
      return;
    }
    if (
      url.searchParams.get('service') !== 'fake-registry' ||
      !url.searchParams.get('scope')?.endsWith(':pull')
    ) {
      this.json(response, 400, { errors: [{ code: 'BAD_SCOPE' }] });
      return;
    }
    const token = `tok-${randomBytes(12).toString('hex')}`;
    this.issuedTokens.add(token);
    this.json(response, 200, { [this.tokenField]: token, expires_in: 300 });
  }

  json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    response
      .writeHead(status, {
        'Content-Type': 'application/json',
        'Docker-Distribution-Api-Version': 'registry/2.0',
        ...headers,
      })
      .end(JSON.stringify(body));
  }
}
