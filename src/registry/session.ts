// One conversation with a registry, as docker holds it: plain requests first, then the login its
// 401 challenge asks for (Basic, or a Bearer token from its token server), kept for the rest of
// this conversation only.
import { parseChallenges, type Challenge } from './challenge.js';
import type { ConnectionOptions } from 'node:tls';
import { httpRequest, type HttpAnswer } from './http-request.js';
import type { RegistryCredentials } from './credentials.js';
import { proxyFor } from './proxy.js';
import { describeAnswer } from './registry-errors.js';
import type { RegistryTarget } from './target.js';
import { parseJson } from './manifest.js';
import { Uncertain } from './uncertain.js';

export type RegistryAnswer = HttpAnswer;

export interface SessionOptions {
  /** Plain HTTP is allowed when HTTPS cannot be reached. */
  insecure: boolean;
  /** The registry's TLS settings (see registryTls). */
  tls: ConnectionOptions;
  /** The proxy variables. */
  env: NodeJS.ProcessEnv;
  /** Ends every request of the conversation (the caller's deadline). */
  signal: AbortSignal;
  timeoutMs: number;
  /** Every password or token met is added here, so that reasons can be cleaned of them. */
  secrets: Set<string>;
}

/** The server could not be reached at all (refused, reset, TLS failed): HTTP may still work. */
class NetworkFailure extends Uncertain {}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

function basicAuthorization(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/**
 * Whether a token realm may receive the login: over HTTPS (on any host, as docker sends it: Docker
 * Hub's realm is auth.docker.io), or over plain HTTP only when the registry itself answered over
 * plain HTTP (an insecure registry) and the realm is that very server: same host and port. Never to
 * a plain-HTTP realm elsewhere, not even another port of the same host, where another program
 * (or anyone on the path) reads it.
 */
export function realmMayReceiveLogin(
  realm: URL,
  registryScheme: 'https' | 'http' | undefined,
  apiHost: string,
): boolean {
  if (realm.protocol === 'https:') return true;
  return registryScheme === 'http' && realm.protocol === 'http:' && realm.origin === origin('http', apiHost);
}

/** `scheme://host[:port]` as URL normalises it (lower case, no default port); undefined when invalid. */
function origin(scheme: string, host: string): string | undefined {
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return undefined;
  }
}

/** Why a request failed, in words that hold no secret (its URL holds none either). */
function networkFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * What one session learned about a repository's registry, for the next read of the same run: the
 * scheme that answered and the Authorization that was accepted. A stale one is replaced on a 401.
 */
export interface SessionMemory {
  scheme?: 'https' | 'http';
  authorization?: string;
}

export class RegistrySession {
  private authenticated = false;

  constructor(
    private readonly target: RegistryTarget,
    private readonly credentials: RegistryCredentials,
    private readonly options: SessionOptions,
    private readonly memory: SessionMemory = {},
  ) {
    if (memory.authorization !== undefined) options.secrets.add(memory.authorization.replace(/^\S+ /, ''));
  }

  private get scheme(): SessionMemory['scheme'] {
    return this.memory.scheme;
  }

  private set scheme(scheme: SessionMemory['scheme']) {
    this.memory.scheme = scheme;
  }

  private get authorization(): string | undefined {
    return this.memory.authorization;
  }

  private set authorization(authorization: string | undefined) {
    this.memory.authorization = authorization;
  }

  /** GET `/v2/<repository>/<path>`, logging in when challenged. Throws Uncertain on 401/403 after that, and on 5xx. */
  async get(path: string, accept?: string): Promise<RegistryAnswer> {
    let answer = await this.send(path, accept);
    if (answer.status === 401 && !this.authenticated) {
      await this.authenticate(answer.headers.get('www-authenticate'));
      answer = await this.send(path, accept);
    }
    if (answer.status === 401 || answer.status === 403) {
      throw new Uncertain(
        `${this.target.apiHost} refused ${this.who()} access to ${this.target.repository}: ${describeAnswer(answer.status, answer.body)}`,
      );
    }
    if (answer.status >= 500) {
      throw new Uncertain(`${this.target.apiHost} failed: ${describeAnswer(answer.status, answer.body)}`);
    }
    return answer;
  }

  private who(): string {
    const { credentials } = this;
    if (credentials.kind === 'basic') return `the login of ${credentials.username}`;
    return credentials.kind === 'identity-token' ? 'the identity token' : 'anonymous';
  }

  private async send(path: string, accept: string | undefined): Promise<RegistryAnswer> {
    const headers: Record<string, string> = {};
    if (accept !== undefined) headers.Accept = accept;
    if (this.authorization !== undefined) headers.Authorization = this.authorization;
    const url = (scheme: string): URL =>
      new URL(`${scheme}://${this.target.apiHost}/v2/${this.target.repository}/${path}`);
    if (this.scheme !== undefined) return this.follow(url(this.scheme), headers);
    try {
      const answer = await this.follow(url('https'), headers);
      this.scheme = 'https';
      return answer;
    } catch (error) {
      // docker's rule for an insecure registry: when HTTPS fails, speak plain HTTP.
      if (!this.options.insecure || !(error instanceof NetworkFailure)) throw error;
      const answer = await this.follow(url('http'), headers);
      this.scheme = 'http';
      return answer;
    }
  }

  /**
   * One request, following redirects itself so that every hop gets its own proxy. Every server
   * gets the registry's TLS settings, as docker's transport for the registry gives them.
   */
  private async follow(start: URL, headers: Record<string, string>, form?: string): Promise<RegistryAnswer> {
    let url = start;
    let sent = { ...headers };
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      let answer: RegistryAnswer;
      try {
        const route = { proxy: proxyFor(url, this.options.env), tls: this.options.tls };
        answer = await httpRequest(url, {
          ...(form === undefined ? {} : { method: 'POST', body: form }),
          headers: sent,
          signal: this.options.signal,
          route,
        });
      } catch (error) {
        throw this.failure(url, error);
      }
      const location = answer.headers.get('location');
      if (REDIRECTS.has(answer.status) && location !== null) {
        // The identity token in a form is never sent on to another address.
        if (form !== undefined)
          throw new Uncertain(`the token server ${url.host} redirected the token exchange`);
        const next = new URL(location, url);
        // Credentials stay with the server they are for, as browsers and Go's client do.
        if (next.origin !== url.origin) {
          sent = Object.fromEntries(Object.entries(sent).filter(([name]) => name !== 'Authorization'));
        }
        url = next;
        continue;
      }
      return answer;
    }
    throw new Uncertain(`${start.host} redirected more than ${MAX_REDIRECTS} times`);
  }

  private failure(url: URL, error: unknown): Uncertain {
    if (this.options.signal.aborted) {
      return new Uncertain(`no answer from ${url.host} within ${this.options.timeoutMs} ms`);
    }
    return new NetworkFailure(`${url.protocol}//${url.host} cannot be reached: ${networkFailure(error)}`);
  }

  private async authenticate(header: string | null): Promise<void> {
    this.authenticated = true;
    const challenges = parseChallenges(header ?? '');
    const bearer = challenges.find((challenge) => challenge.scheme === 'bearer');
    if (bearer !== undefined) {
      this.authorization = `Bearer ${await this.token(bearer)}`;
      return;
    }
    if (challenges.some((challenge) => challenge.scheme === 'basic')) {
      if (this.credentials.kind !== 'basic') {
        throw new Uncertain(`${this.target.apiHost} asks for a login and docker has none for it`);
      }
      this.authorization = basicAuthorization(this.credentials);
      return;
    }
    throw new Uncertain(
      `${this.target.apiHost} answered 401 without a Basic or Bearer challenge${header === null ? '' : ` (${challenges.map((c) => c.scheme).join(', ') || 'unreadable'})`}`,
    );
  }

  /** A pull token for the repository from the token server the challenge names. */
  private async token(challenge: Challenge): Promise<string> {
    const realm = challenge.params.realm;
    let url: URL;
    try {
      url = new URL(realm ?? '');
    } catch {
      throw new Uncertain(`${this.target.apiHost} names no valid token realm`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Uncertain(`${this.target.apiHost} names a token realm that is not HTTP(S)`);
    }
    const service = challenge.params.service;
    const scope = `repository:${this.target.repository}:pull`;
    const { credentials } = this;
    if (credentials.kind !== 'anonymous' && !realmMayReceiveLogin(url, this.scheme, this.target.apiHost)) {
      throw new Uncertain(
        `${this.target.apiHost} names the plain-HTTP token realm ${url.host}; the login is sent to a realm over HTTPS only (or to an insecure registry's own address, same host and port)`,
      );
    }
    const headers: Record<string, string> = {};
    let form: string | undefined;
    if (credentials.kind === 'identity-token') {
      // docker's OAuth exchange of an identity token: a form POSTed to the realm.
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.token,
        client_id: 'docker',
        scope,
        ...(service === undefined ? {} : { service }),
      }).toString();
    } else {
      if (service !== undefined) url.searchParams.set('service', service);
      url.searchParams.append('scope', scope);
    }
    if (credentials.kind === 'basic') {
      url.searchParams.set('account', credentials.username);
      headers.Authorization = basicAuthorization(credentials);
    }
    let answer: RegistryAnswer;
    try {
      answer = await this.follow(url, headers, form);
    } catch (error) {
      if (error instanceof NetworkFailure) throw new Uncertain(`the token server ${error.message}`);
      throw error;
    }
    if (answer.status !== 200) {
      throw new Uncertain(
        `the token server ${url.host} refused ${this.who()}: ${describeAnswer(answer.status, answer.body)}`,
      );
    }
    const json = parseJson(answer.body, 'the token server’s answer');
    const token = [json.token, json.access_token].find(
      (value): value is string => typeof value === 'string' && value !== '',
    );
    if (token === undefined) throw new Uncertain(`the token server ${url.host} sent no token`);
    this.options.secrets.add(token);
    return token;
  }
}
