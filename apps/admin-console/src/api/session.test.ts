import { ADMIN_ME, scriptedApi, TOKENS, urlOf } from '../test-utils';
import { ApiError, describeError } from './problem';
import { NotAnAdmin, Session } from './session';
import type { TabMessage, Tabs } from './tabs';

const MEMBER_ME = { userId: 'm1', username: 'maria', roles: ['member'] };
/** A cookie-mode answer: the refresh token stays in the (HttpOnly) cookie. */
const GRANT = { accessToken: 'access-1', tokenType: 'Bearer', expiresIn: 1800 };

type Routes = Parameters<typeof scriptedApi>[0];

/** The scripted API, also noting whether each call asked for cookie mode. */
function cookieApi(routes: Routes) {
  const api = scriptedApi(routes);
  const cookieMode: string[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    if (new Headers(init?.headers).get('x-session-cookie') === '1') cookieMode.push(urlOf(input));
    return api.fetchFn(input, init);
  };
  return { ...api, fetchFn, cookieMode };
}

/** All the session holds, as text (skipping cycles, such as a timer's). */
function everythingIn(value: object): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) return undefined;
    seen.add(v);
    return v;
  });
}

/** Tabs of one browser, in this test: one lock for all, and messages to every other tab. */
function browser() {
  let lock: Promise<unknown> = Promise.resolve();
  const tabs: Array<(message: TabMessage) => void> = [];
  return (): Tabs => {
    let mine: (message: TabMessage) => void = () => undefined;
    return {
      exclusive: (task) => {
        const run = lock.then(task);
        lock = run.catch(() => undefined);
        return run;
      },
      post: (message) => tabs.filter((t) => t !== mine).forEach((t) => t(structuredClone(message))),
      listen: (handler) => {
        mine = handler;
        tabs.push(handler);
      },
    };
  };
}

describe('Session', () => {
  it('signs in in cookie mode and keeps no refresh token, even one the answer carries', async () => {
    const api = cookieApi({
      'POST /v1/auth/login': { status: 200, body: TOKENS },
      'GET /v1/me': { status: 200, body: ADMIN_ME },
      'POST /v1/auth/refresh': { status: 200, body: { ...GRANT, accessToken: 'access-2' } },
    });
    const session = new Session(api.fetchFn);
    await session.signIn('chief', 'pw');
    expect(session.state).toBe('signed-in');
    expect(api.cookieMode).toEqual(['/v1/auth/login']);
    expect(everythingIn(session)).not.toContain(TOKENS.refreshToken);
  });

  it('refuses an account without the admin role, and revokes the session it just got', async () => {
    const api = cookieApi({
      'POST /v1/auth/login': { status: 200, body: GRANT },
      'GET /v1/me': { status: 200, body: MEMBER_ME },
      'POST /v1/auth/logout': { status: 204 },
    });
    const session = new Session(api.fetchFn);
    await expect(session.signIn('maria', 'pw')).rejects.toThrow(NotAnAdmin);
    await expect(session.signIn('maria', 'pw')).rejects.toThrow('maria is not an administrator');
    expect(session.state).not.toBe('signed-in');
    expect(api.calls.filter((c) => c.path === '/v1/auth/logout')[0]?.body).toEqual({});
    expect(api.cookieMode).toContain('/v1/auth/logout');
  });

  describe('on page load', () => {
    it("resumes the cookie's session: one refresh, then who is signed in", async () => {
      const api = cookieApi({
        'POST /v1/auth/refresh': { status: 200, body: GRANT },
        'GET /v1/me': { status: 200, body: ADMIN_ME },
        'GET /v1/admin/stats': { status: 200, body: { members: 3 } },
      });
      const session = new Session(api.fetchFn);
      expect(session.state).toBe('resuming');
      // A page's call made meanwhile waits for the session, then goes with its token.
      const stats = session.request('GET', '/v1/admin/stats');
      await session.resume();
      expect(session.state).toBe('signed-in');
      expect(session.admin?.username).toBe('chief');
      await expect(stats).resolves.toEqual({ members: 3 });
      expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
        'POST /v1/auth/refresh',
        'GET /v1/me',
        'GET /v1/admin/stats',
      ]);
      expect(api.calls[0].body).toEqual({});
      expect(api.cookieMode).toEqual(['/v1/auth/refresh']);
    });

    it('shows the sign-in form when the cookie is refused, or when the gateway cannot be reached', async () => {
      const refused = cookieApi({
        'POST /v1/auth/refresh': { status: 401, body: { code: 'UNAUTHENTICATED' } },
      });
      const session = new Session(refused.fetchFn);
      await Promise.all([session.resume(), session.resume()]); // once, however often it is asked
      expect(session.state).toBe('signed-out');
      expect(refused.calls).toHaveLength(1);

      const offline = new Session(() => Promise.reject(new TypeError('Failed to fetch')));
      await offline.resume();
      expect(offline.state).toBe('signed-out');
    });

    it("does not resume a member's session: ends it and shows the sign-in form", async () => {
      const api = cookieApi({
        'POST /v1/auth/refresh': { status: 200, body: GRANT },
        'GET /v1/me': { status: 200, body: MEMBER_ME },
        'POST /v1/auth/logout': { status: 204 },
      });
      const session = new Session(api.fetchFn);
      await session.resume();
      expect(session.state).toBe('signed-out');
      expect(api.calls.at(-1)?.path).toBe('/v1/auth/logout');
    });
  });

  it('refreshes once on a 401 shared by concurrent calls, then retries them with the new token', async () => {
    let refreshed = false;
    const api = cookieApi({
      'POST /v1/auth/login': { status: 200, body: GRANT },
      'GET /v1/me': { status: 200, body: ADMIN_ME },
      'POST /v1/auth/refresh': () => {
        refreshed = true;
        return { status: 200, body: { ...GRANT, accessToken: 'access-2' } };
      },
      'GET /v1/admin/stats': () =>
        refreshed
          ? { status: 200, body: { members: 3 } }
          : { status: 401, body: { code: 'UNAUTHENTICATED' } },
    });
    const session = new Session(api.fetchFn);
    await session.signIn('chief', 'pw');
    const results = await Promise.all([1, 2, 3].map(() => session.request('GET', '/v1/admin/stats')));
    expect(results).toEqual([{ members: 3 }, { members: 3 }, { members: 3 }]);
    expect(api.calls.filter((c) => c.path === '/v1/auth/refresh')).toHaveLength(1);
    expect(api.calls.find((c) => c.path === '/v1/auth/refresh')?.body).toEqual({});
  });

  it('when the refresh token is refused too, expires and holds the call until the admin signs in again', async () => {
    let signIns = 0;
    const api = cookieApi({
      'POST /v1/auth/login': () => ({ status: 200, body: { ...GRANT, accessToken: `access-${++signIns}` } }),
      'GET /v1/me': { status: 200, body: ADMIN_ME },
      'POST /v1/auth/refresh': { status: 401, body: { code: 'UNAUTHENTICATED' } },
      'POST /v1/admin/campaigns': { status: 201, body: { campaignId: 'c1' } },
    });
    // The campaign call is refused while the first access token is in use.
    const fetchFn: typeof fetch = async (input, init) => {
      const auth = new Headers(init?.headers).get('authorization');
      if (urlOf(input) === '/v1/admin/campaigns' && auth === 'Bearer access-1')
        return new Response(JSON.stringify({ code: 'UNAUTHENTICATED' }), { status: 401 });
      return api.fetchFn(input, init);
    };
    const session = new Session(fetchFn);
    await session.signIn('chief', 'pw');
    const states: string[] = [];
    session.subscribe(() => states.push(session.state));

    const pending = session.request('POST', '/v1/admin/campaigns', { name: 'Spring' });
    await vi.waitFor(() => expect(session.state).toBe('expired'));
    await session.signIn('chief', 'pw');
    await expect(pending).resolves.toEqual({ campaignId: 'c1' });
    expect(states).toEqual(['expired', 'signed-in']);
    expect(api.calls.filter((c) => c.path === '/v1/admin/campaigns').map((c) => c.body)).toEqual([
      { name: 'Spring' },
    ]);
  });

  it("signs out by revoking the cookie's session on the server", async () => {
    const api = cookieApi({
      'POST /v1/auth/login': { status: 200, body: GRANT },
      'GET /v1/me': { status: 200, body: ADMIN_ME },
      'POST /v1/auth/logout': { status: 204 },
    });
    const session = new Session(api.fetchFn);
    await session.signIn('chief', 'pw');
    await session.signOut();
    expect(session.state).toBe('signed-out');
    expect(api.calls.at(-1)).toEqual({ method: 'POST', path: '/v1/auth/logout', body: {} });
    expect(api.cookieMode).toEqual(['/v1/auth/login', '/v1/auth/logout']);
    await expect(session.request('GET', '/v1/admin/stats')).rejects.toMatchObject({ status: 401 });
  });

  describe('across tabs', () => {
    const routes = (): Routes => {
      let n = 1;
      return {
        'POST /v1/auth/login': { status: 200, body: GRANT },
        'POST /v1/auth/refresh': () => ({ status: 200, body: { ...GRANT, accessToken: `access-${++n}` } }),
        'GET /v1/me': { status: 200, body: ADMIN_ME },
        'POST /v1/auth/logout': { status: 204 },
        'GET /v1/admin/stats': { status: 200, body: { members: 3 } },
      };
    };

    it('a sign-out in one tab signs every tab out at once, and their calls fail', async () => {
      const api = cookieApi(routes());
      const tab = browser();
      const first = new Session(api.fetchFn, tab());
      const second = new Session(api.fetchFn, tab());
      await first.signIn('chief', 'pw');
      expect(second.state).toBe('signed-in'); // the sign-in reached it too, without a call of its own
      expect(api.calls.filter((c) => c.path === '/v1/auth/refresh')).toHaveLength(0);
      await expect(second.request('GET', '/v1/admin/stats')).resolves.toEqual({ members: 3 });

      const signingOut = first.signOut();
      expect(second.state).toBe('signed-out');
      expect(second.admin).toBeUndefined();
      await expect(second.request('GET', '/v1/admin/stats')).rejects.toMatchObject({ status: 401 });
      await signingOut;
    });

    it('a sign-in in one tab ends the sign-in form of another, even one still resuming', async () => {
      const api = cookieApi({ ...routes(), 'POST /v1/auth/refresh': { status: 401, body: {} } });
      const tab = browser();
      const first = new Session(api.fetchFn, tab());
      const second = new Session(api.fetchFn, tab());
      await first.resume();
      expect(first.state).toBe('signed-out');
      const resuming = second.resume(); // waits for the lock the first tab's resume released
      await second.signIn('chief', 'pw');
      await resuming;
      expect(first.state).toBe('signed-in');
      expect(first.admin?.username).toBe('chief');
      expect(second.state).toBe('signed-in');
    });

    it("takes turns to refresh, and a tab that waited uses the other tab's new token instead of refreshing again", async () => {
      const api = cookieApi(routes());
      // Both tabs' first token is refused at once (it expired): both want a refresh.
      const fetchFn: typeof fetch = (input, init) =>
        urlOf(input) === '/v1/admin/stats' &&
        new Headers(init?.headers).get('authorization') === 'Bearer access-1'
          ? Promise.resolve(new Response('{}', { status: 401 }))
          : api.fetchFn(input, init);
      const tab = browser();
      const first = new Session(fetchFn, tab());
      const second = new Session(fetchFn, tab());
      await first.signIn('chief', 'pw');
      const both = [first, second].map((s) => s.request('GET', '/v1/admin/stats'));
      await expect(Promise.all(both)).resolves.toEqual([{ members: 3 }, { members: 3 }]);
      expect(api.calls.filter((c) => c.path === '/v1/auth/refresh')).toHaveLength(1);
      expect(api.calls.filter((c) => c.path === '/v1/admin/stats')).toHaveLength(2); // the retries
    });
  });
});

describe('problem+json', () => {
  it('keys field errors by field in plain words, joining several messages for one field', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'Invalid request', [
      { field: 'email', message: 'email must be an email address' },
      { field: 'email', message: 'email must be shorter' },
      { field: 'phone', message: 'phone must be E.164' },
    ]);
    expect(error.byField()).toEqual({
      email: 'must be an email address; must be shorter',
      phone: 'must be E.164',
    });
  });

  it('tells people what to do next', () => {
    expect(describeError(new ApiError(429, 'RATE_LIMITED', 'Too many', [], 12))).toBe(
      'Too many requests. Try again in 12 seconds.',
    );
    expect(describeError(ApiError.network(new Error('Failed to fetch')))).toContain('Check the connection');
  });
});

describe('Session.fetchRaw (a CSV download)', () => {
  it('sends the token, refreshes once on a 401, and hands back the raw answer', async () => {
    let downloads = 0;
    const api = cookieApi({
      'POST /v1/auth/login': { status: 200, body: GRANT },
      'GET /v1/me': { status: 200, body: ADMIN_ME },
      'POST /v1/auth/refresh': { status: 200, body: { ...GRANT, accessToken: 'access-2' } },
    });
    const fetchFn: typeof fetch = async (input, init) => {
      if (!urlOf(input).endsWith('/codes/export')) return api.fetchFn(input, init);
      downloads++;
      const auth = new Headers(init?.headers).get('authorization');
      if (auth !== 'Bearer access-2') return new Response('{"code":"UNAUTHENTICATED"}', { status: 401 });
      return new Response('code\r\nAB12\r\n', { status: 200, headers: { 'content-type': 'text/csv' } });
    };
    const session = new Session(fetchFn);
    await session.signIn('chief', 'pw');
    const res = await session.fetchRaw('/v1/admin/coupon-books/b1/codes/export', 'text/csv');
    expect(await res.text()).toBe('code\r\nAB12\r\n');
    expect(downloads).toBe(2);
  });

  it('throws the problem of a refusal other than 401', async () => {
    const api = cookieApi({
      'POST /v1/auth/login': { status: 200, body: GRANT },
      'GET /v1/me': { status: 200, body: ADMIN_ME },
    });
    const session = new Session(api.fetchFn);
    await session.signIn('chief', 'pw');
    await expect(
      session.fetchRaw('/v1/admin/coupon-books/nope/codes/export', 'text/csv'),
    ).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
  });
});
