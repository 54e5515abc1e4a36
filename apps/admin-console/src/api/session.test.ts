import { ADMIN_ME, scriptedApi, TOKENS, urlOf } from '../test-utils';
import { ApiError, describeError } from './problem';
import { NotAnAdmin, Session } from './session';

const MEMBER_ME = { userId: 'm1', username: 'maria', roles: ['member'] };

describe('Session', () => {
  it('refuses an account without the admin role, and revokes the session it just got', async () => {
    const api = scriptedApi({
      'POST /v1/auth/login': { status: 200, body: TOKENS },
      'GET /v1/me': { status: 200, body: MEMBER_ME },
      'POST /v1/auth/logout': { status: 204 },
    });
    const session = new Session(api.fetchFn);
    await expect(session.signIn('maria', 'pw')).rejects.toThrow(NotAnAdmin);
    await expect(session.signIn('maria', 'pw')).rejects.toThrow('maria is not an administrator');
    expect(session.state).toBe('signed-out');
    expect(api.calls.filter((c) => c.path === '/v1/auth/logout')[0]?.body).toEqual({
      refreshToken: TOKENS.refreshToken,
    });
  });

  it('refreshes once on a 401 shared by concurrent calls, then retries them with the new token', async () => {
    let refreshed = false;
    const api = scriptedApi({
      'POST /v1/auth/login': { status: 200, body: TOKENS },
      'GET /v1/me': { status: 200, body: ADMIN_ME },
      'POST /v1/auth/refresh': () => {
        refreshed = true;
        return { status: 200, body: { ...TOKENS, accessToken: 'access-2', refreshToken: 'refresh-2' } };
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
    expect(api.calls.find((c) => c.path === '/v1/auth/refresh')?.body).toEqual({ refreshToken: 'refresh-1' });
  });

  it('when the refresh token is refused too, expires and holds the call until the admin signs in again', async () => {
    let signIns = 0;
    const api = scriptedApi({
      'POST /v1/auth/login': () => ({ status: 200, body: { ...TOKENS, accessToken: `access-${++signIns}` } }),
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

  it('signs out by revoking the refresh token on the server', async () => {
    const api = scriptedApi({
      'POST /v1/auth/login': { status: 200, body: TOKENS },
      'GET /v1/me': { status: 200, body: ADMIN_ME },
      'POST /v1/auth/logout': { status: 204 },
    });
    const session = new Session(api.fetchFn);
    await session.signIn('chief', 'pw');
    await session.signOut();
    expect(session.state).toBe('signed-out');
    expect(api.calls.at(-1)).toEqual({
      method: 'POST',
      path: '/v1/auth/logout',
      body: { refreshToken: 'refresh-1' },
    });
    await expect(session.request('GET', '/v1/admin/stats')).rejects.toMatchObject({ status: 401 });
  });
});

describe('problem+json', () => {
  it('keys field errors by field, joining several messages for one field', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'Invalid request', [
      { field: 'email', message: 'email must be an email address' },
      { field: 'email', message: 'email must be shorter' },
      { field: 'phone', message: 'phone must be E.164' },
    ]);
    expect(error.byField()).toEqual({
      email: 'email must be an email address; email must be shorter',
      phone: 'phone must be E.164',
    });
  });

  it('tells people what to do next', () => {
    expect(describeError(new ApiError(429, 'RATE_LIMITED', 'Too many', [], 12))).toBe(
      'Too many requests. Try again in 12 seconds.',
    );
    expect(describeError(ApiError.network(new Error('Failed to fetch')))).toContain('Check the connection');
  });
});
