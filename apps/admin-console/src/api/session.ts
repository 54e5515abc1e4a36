import { ApiError, toApiError } from './problem';
import { browserTabs, loneTab, type TabMessage, type Tabs } from './tabs';
import type { Me, TokenPair } from './types';

/** Who is signed in: the part of GET /v1/me the console keeps. */
export type Admin = Pick<Me, 'userId' | 'username' | 'roles'>;

/**
 * What the page holds of a session: the access token and its lifetime. The refresh token never
 * reaches page scripts: the gateway keeps it in an HttpOnly cookie (cookie mode).
 */
export type AccessGrant = Omit<TokenPair, 'refreshToken'>;

/** 'resuming': just loaded, asking the gateway whether the cookie's session still holds. */
export type SessionState = 'resuming' | 'signed-out' | 'signed-in' | 'expired';

/** Asks the gateway for cookie mode on login, refresh and logout. */
const COOKIE_MODE = 'x-session-cookie';

/** The account signed in fine but may not use the console. */
export class NotAnAdmin extends Error {
  constructor(username: string) {
    super(`${username} is not an administrator. Sign in with an account that has the admin role.`);
    this.name = 'NotAnAdmin';
  }
}

type Fetch = typeof fetch;

/**
 * The admin's session. The access token lives in memory only (never in localStorage, where any
 * script on the origin could read it); the refresh token lives in an HttpOnly cookie that only the
 * gateway's auth routes see. So a reload, a deep link or a new tab resumes the session: one
 * refresh with the cookie, then GET /v1/me. The access token is refreshed a minute before it
 * expires, and once more on a 401. When the cookie is refused too, the session is "expired":
 * requests wait while the page shows the sign-in dialog over itself, so a half-typed form stays as
 * it is, then go on once the admin has signed in again.
 *
 * Tabs: refreshes take turns (Tabs.exclusive), each new access token is shared with the other
 * tabs, and a sign-in or sign-out in one tab is one in all of them at once.
 */
export class Session {
  private grant?: AccessGrant;
  private refreshing?: Promise<boolean>;
  private resuming?: Promise<void>;
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private waiting: Array<() => void> = [];
  private readonly listeners = new Set<() => void>();
  /** Moves at every sign-in and sign-out: a refresh begun before one is not applied after it. */
  private epoch = 0;
  private readonly fetchFn: Fetch;
  private readonly tabs: Tabs;
  state: SessionState = 'resuming';
  admin?: Admin;

  /** The page's session talks to the other tabs; one given its own fetch (a test's) only if given `tabs`. */
  constructor(fetchFn?: Fetch, tabs?: Tabs) {
    this.fetchFn = fetchFn ?? ((...args) => fetch(...args));
    this.tabs = tabs ?? (fetchFn ? loneTab() : browserTabs());
    this.tabs.listen((message) => this.fromOtherTab(message));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** On page load: the cookie's session if it still holds, else the sign-in form. Runs once. */
  resume(): Promise<void> {
    this.resuming ??= this.restore();
    return this.resuming;
  }

  /** Logs in; refuses (and revokes the new session of) an account without the admin role. */
  async signIn(username: string, password: string): Promise<void> {
    const pair = await this.call<AccessGrant>(
      'POST',
      '/v1/auth/login',
      { username, password },
      { cookieMode: true },
    );
    const grant = accessPart(pair);
    const me = await this.call<Admin>('GET', '/v1/me', undefined, { token: grant.accessToken });
    if (!me.roles.includes('admin')) {
      await this.endServerSession();
      throw new NotAnAdmin(me.username);
    }
    this.begin(grant, me);
    this.tell({ type: 'session', grant, admin: this.admin! });
  }

  /** Forgets everything here and in every other tab at once, then revokes the session on the server. */
  async signOut(): Promise<void> {
    this.end();
    this.tell({ type: 'signed-out' });
    await this.endServerSession();
  }

  /** Makes the session expired now, as a refused refresh does. */
  expire(): void {
    if (this.state !== 'signed-in') return; // signed out meanwhile: stays so
    this.clear();
    this.setState('expired');
  }

  /** An authenticated API call: refreshes on 401, and waits out a resume or an expired session. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.state === 'resuming') await this.resume();
      if (this.state === 'expired') await this.signedInAgain();
      if (this.state !== 'signed-in') throw new ApiError(401, 'UNAUTHENTICATED', 'You are signed out.');
      const token = this.grant?.accessToken;
      try {
        return await this.call<T>(method, path, body, { token });
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 401 || attempt > 2) throw err;
        // Someone else may have refreshed meanwhile: only refresh if our token is still current.
        if (this.grant?.accessToken === token && !(await this.refresh())) this.expire();
      }
    }
  }

  /**
   * An authenticated GET whose answer is not JSON (a CSV download, streamed by the caller): the
   * same refresh on a 401 as request(). A failure other than 401 is thrown as an ApiError; the
   * caller reads the body of a success.
   */
  async fetchRaw(path: string, accept: string): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      if (this.state === 'resuming') await this.resume();
      if (this.state === 'expired') await this.signedInAgain();
      if (this.state !== 'signed-in') throw new ApiError(401, 'UNAUTHENTICATED', 'You are signed out.');
      const token = this.grant?.accessToken;
      let res: Response;
      try {
        res = await this.fetchFn(path, {
          headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        });
      } catch (err) {
        throw ApiError.network(err);
      }
      if (res.ok) return res;
      if (res.status !== 401 || attempt > 2) throw await toApiError(res);
      if (this.grant?.accessToken === token && !(await this.refresh())) this.expire();
    }
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    { token, cookieMode }: { token?: string; cookieMode?: boolean } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    if (cookieMode) headers[COOKIE_MODE] = '1';
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

  private async restore(): Promise<void> {
    if (this.state !== 'resuming') return;
    try {
      const held = await this.refresh();
      if (this.state !== 'resuming') return; // another tab's session (or sign-out) came first
      if (!held || !this.grant) return this.setState('signed-out');
      const grant = this.grant;
      const me = await this.call<Admin>('GET', '/v1/me', undefined, { token: grant.accessToken });
      if (this.state !== 'resuming') return;
      if (!me.roles.includes('admin')) {
        this.clear();
        await this.endServerSession();
        return this.setState('signed-out');
      }
      this.begin(grant, me);
      this.tell({ type: 'session', grant, admin: this.admin! });
    } catch {
      // The gateway is out of reach: the sign-in form, whose errors will say so.
      if (this.state === 'resuming') {
        this.clear();
        this.setState('signed-out');
      }
    }
  }

  /**
   * A new access token from the cookie: one refresh at a time in this tab (shared by every
   * request that hit a 401) and across tabs. A tab that waited for the lock while another tab's
   * new token reached it uses that one, rather than rotating the cookie again. False when the
   * cookie is refused (no session, revoked, expired).
   */
  private refresh(): Promise<boolean> {
    const before = this.grant?.accessToken;
    const epoch = this.epoch;
    this.refreshing ??= this.tabs
      .exclusive(async () => {
        if (this.grant && this.grant.accessToken !== before) return true;
        const pair = await this.call<AccessGrant>('POST', '/v1/auth/refresh', {}, { cookieMode: true });
        // Signed out (or in) while this was on its way: not ours to apply any more.
        if (this.epoch !== epoch) return this.grant !== undefined;
        const grant = accessPart(pair);
        this.setGrant(grant);
        if (this.admin) this.tell({ type: 'session', grant, admin: this.admin });
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

  /** Revokes the cookie's session (the gateway clears the cookie too), in turn with refreshes. */
  private async endServerSession(): Promise<void> {
    await this.tabs
      .exclusive(() => this.call('POST', '/v1/auth/logout', {}, { cookieMode: true }))
      .catch(() => undefined);
  }

  private fromOtherTab(message: TabMessage): void {
    if (message.type === 'signed-out') {
      if (this.state !== 'signed-out') this.end();
      return;
    }
    // The same admin's newer token: use it, and let its timer be the one that refreshes next.
    if (this.state === 'signed-in' && this.admin?.userId === message.admin.userId) {
      this.setGrant(message.grant);
      return;
    }
    this.begin(message.grant, message.admin);
  }

  private tell(message: TabMessage): void {
    this.tabs.post(message);
  }

  private begin(grant: AccessGrant, me: Admin): void {
    if (this.admin && this.admin.userId !== me.userId) this.waiting = []; // another admin: drop old retries
    this.epoch++;
    this.admin = { userId: me.userId, username: me.username, roles: me.roles };
    this.setGrant(grant);
    this.setState('signed-in');
    const resume = this.waiting;
    this.waiting = [];
    resume.forEach((go) => go());
  }

  private end(): void {
    this.epoch++;
    this.clear();
    this.admin = undefined;
    this.waiting = [];
    this.setState('signed-out');
  }

  private signedInAgain(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private setGrant(grant: AccessGrant): void {
    this.grant = grant;
    clearTimeout(this.refreshTimer);
    const inMs = Math.max(5, grant.expiresIn - 60) * 1000;
    this.refreshTimer = setTimeout(() => {
      void this.refresh().then(
        (ok) => ok || this.expire(),
        () => undefined,
      );
    }, inMs);
  }

  private clear(): void {
    clearTimeout(this.refreshTimer);
    this.grant = undefined;
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.listeners.forEach((listener) => listener());
  }
}

/** Only what the page may keep, even should an answer carry more. */
function accessPart({ accessToken, tokenType, expiresIn }: AccessGrant): AccessGrant {
  return { accessToken, tokenType, expiresIn };
}
