import { ApiError, toApiError } from './problem';
import type { Me, TokenPair } from './types';

/** Who is signed in: the part of GET /v1/me the console keeps. */
export type Admin = Pick<Me, 'userId' | 'username' | 'roles'>;

export type SessionState = 'signed-out' | 'signed-in' | 'expired';

/** The account signed in fine but may not use the console. */
export class NotAnAdmin extends Error {
  constructor(username: string) {
    super(`${username} is not an administrator. Sign in with an account that has the admin role.`);
    this.name = 'NotAnAdmin';
  }
}

type Fetch = typeof fetch;

/**
 * The admin's session. Tokens live in memory only (never in localStorage, where any script on
 * the origin could read them): a reload asks to sign in again. The access token is refreshed a
 * minute before it expires, and once more on a 401. When the refresh token is refused too, the
 * session is "expired": requests wait while the page shows the sign-in dialog over itself, so a
 * half-typed form stays as it is, then go on once the admin has signed in again.
 */
export class Session {
  private tokens?: TokenPair;
  private refreshing?: Promise<boolean>;
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private waiting: Array<() => void> = [];
  private readonly listeners = new Set<() => void>();
  state: SessionState = 'signed-out';
  admin?: Admin;

  constructor(private readonly fetchFn: Fetch = (...args) => fetch(...args)) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Logs in; refuses (and revokes the new session of) an account without the admin role. */
  async signIn(username: string, password: string): Promise<void> {
    const pair = await this.call<TokenPair>('POST', '/v1/auth/login', { username, password });
    const me = await this.call<Admin>('GET', '/v1/me', undefined, pair.accessToken);
    if (!me.roles.includes('admin')) {
      await this.call('POST', '/v1/auth/logout', { refreshToken: pair.refreshToken }).catch(() => undefined);
      throw new NotAnAdmin(me.username);
    }
    if (this.admin && this.admin.userId !== me.userId) this.waiting = []; // another admin: drop old retries
    this.admin = { userId: me.userId, username: me.username, roles: me.roles };
    this.setTokens(pair);
    this.setState('signed-in');
    const resume = this.waiting;
    this.waiting = [];
    resume.forEach((go) => go());
  }

  /** Revokes the refresh token on the server, then forgets everything. */
  async signOut(): Promise<void> {
    const refreshToken = this.tokens?.refreshToken;
    this.clear();
    this.admin = undefined;
    this.waiting = [];
    this.setState('signed-out');
    if (refreshToken) await this.call('POST', '/v1/auth/logout', { refreshToken }).catch(() => undefined);
  }

  /** Makes the session expired now, as a refused refresh does. */
  expire(): void {
    this.clear();
    this.setState('expired');
  }

  /** An authenticated API call: refreshes on 401, and waits out an expired session. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.state === 'expired') await this.signedInAgain();
      if (this.state === 'signed-out') throw new ApiError(401, 'UNAUTHENTICATED', 'You are signed out.');
      const token = this.tokens?.accessToken;
      try {
        return await this.call<T>(method, path, body, token);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 401 || attempt > 2) throw err;
        // Someone else may have refreshed meanwhile: only refresh if our token is still current.
        if (this.tokens?.accessToken === token && !(await this.refresh())) this.expire();
      }
    }
  }

  /** Uploads, for instance: the same as request() with a body that is not JSON. */
  private async call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await this.fetchFn(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw ApiError.network(err);
    }
    if (!res.ok) throw await toApiError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** One refresh at a time, shared by every request that hit a 401. */
  private refresh(): Promise<boolean> {
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) return Promise.resolve(false);
    this.refreshing ??= this.call<TokenPair>('POST', '/v1/auth/refresh', { refreshToken })
      .then((pair) => {
        this.setTokens(pair);
        return true;
      })
      .catch((err: unknown) => {
        // A network blip is not an expired session: keep the tokens and let the caller fail.
        if (err instanceof ApiError && err.status === 0) throw err;
        return false;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private signedInAgain(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private setTokens(pair: TokenPair): void {
    this.tokens = pair;
    clearTimeout(this.refreshTimer);
    const inMs = Math.max(5, pair.expiresIn - 60) * 1000;
    this.refreshTimer = setTimeout(() => {
      void this.refresh().then(
        (ok) => ok || this.expire(),
        () => undefined,
      );
    }, inMs);
  }

  private clear(): void {
    clearTimeout(this.refreshTimer);
    this.tokens = undefined;
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.listeners.forEach((listener) => listener());
  }
}
