import request from 'supertest';
import { TestIsolation } from '@lib/testing';
import { member, PASSWORD } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

const COOKIE = '__Secure-refresh-token';
const COOKIE_MODE = { 'X-Session-Cookie': '1' };

type Res = { status: number; headers: Record<string, string | string[] | undefined>; body: any };

/** The session cookie a response sets: its value and its attributes, lower-cased. */
function sessionCookie(res: Res): { value: string; attributes: Record<string, string | true> } | undefined {
  const header = res.headers['set-cookie'];
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const line = lines.find((l) => l.startsWith(`${COOKIE}=`));
  if (!line) return undefined;
  const [pair, ...rest] = line.split(';').map((part) => part.trim());
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const [name, value] = part.split('=');
    attributes[name.toLowerCase()] = value ?? true;
  }
  return { value: pair.slice(COOKIE.length + 1), attributes };
}

/**
 * Cookie mode of the auth routes, for browsers (issue 22): the refresh token in an HttpOnly,
 * Secure, SameSite=Strict cookie on /v1/auth, never in the body, read only with the custom header
 * and from the gateway's own origin, rotated and revoked like the body's token. Real auth service,
 * gateway over TCP, MongoDB, Redis and RabbitMQ.
 */
describe('session cookie of the auth routes (e2e)', () => {
  const iso = new TestIsolation('session-cookie');
  let stack: IdentityStack;
  let baseURL: string;
  /** What a browser on the gateway's own pages sends with its fetch. */
  let sameOrigin: Record<string, string>;

  beforeAll(async () => {
    stack = await startIdentityStack(iso);
    await stack.gateway.listen(0, '127.0.0.1');
    baseURL = await stack.gateway.getUrl();
    sameOrigin = { ...COOKIE_MODE, Origin: baseURL, 'Sec-Fetch-Site': 'same-origin' };
  });

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  const http = () => request(baseURL);
  const problem = (res: Res, status: number, code: string) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };
  /** The fields a 400 names (a field may break several rules). */
  const fields = (res: Res) => [
    ...new Set((res.body.errors as Array<{ field: string }>).map((e) => e.field)),
  ];

  /** A member signed in in cookie mode: the cookie's value, as the browser would keep it. */
  async function cookieLogin() {
    const m = await member(stack.http);
    const res = await http()
      .post('/v1/auth/login')
      .set(sameOrigin)
      .send({ username: m.username, password: PASSWORD })
      .expect(200);
    return { ...m, res, cookie: sessionCookie(res)!.value };
  }
  const refreshWith = (cookie: string, headers = sameOrigin) =>
    http().post('/v1/auth/refresh').set(headers).set('Cookie', `${COOKIE}=${cookie}`).send({});

  it('login in cookie mode sets the refresh token as an HttpOnly, Secure, SameSite=Strict cookie on /v1/auth, and leaves it out of the body', async () => {
    const { res, cookie } = await cookieLogin();
    expect(sessionCookie(res)!.attributes).toEqual({
      'max-age': String(30 * 24 * 3600),
      path: '/v1/auth',
      httponly: true,
      secure: true,
      samesite: 'Strict',
    });
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 1800 });
    expect(JSON.stringify(res.body)).not.toContain(cookie);
    expect(res.headers['cache-control']).toBe('no-store');
    await http().get('/v1/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
  });

  it('refresh with the cookie rotates it; the old value presented again is refused and revokes the family', async () => {
    const { cookie } = await cookieLogin();
    const first = await refreshWith(cookie).expect(200);
    const rotated = sessionCookie(first)!;
    expect(rotated.value).not.toBe(cookie);
    expect(rotated.attributes).toMatchObject({ httponly: true, secure: true, samesite: 'Strict' });
    expect(first.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 1800 });
    await http().get('/v1/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);

    const reused = await refreshWith(cookie);
    problem(reused, 401, 'UNAUTHENTICATED');
    expect(sessionCookie(reused)!.attributes['max-age']).toBe('0'); // the browser forgets it
    // The rotated cookie died with its family: reuse detection holds in cookie mode too.
    problem(await refreshWith(rotated.value), 401, 'UNAUTHENTICATED');
  });

  it('a token spent in the body is refused from the cookie too, and its family revoked', async () => {
    const m = await member(stack.http);
    const rotated = await http().post('/v1/auth/refresh').send({ refreshToken: m.refreshToken }).expect(200);
    problem(await refreshWith(m.refreshToken), 401, 'UNAUTHENTICATED');
    problem(
      await http().post('/v1/auth/refresh').send({ refreshToken: rotated.body.refreshToken }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('logout with the cookie clears it and ends the session', async () => {
    const { cookie } = await cookieLogin();
    const res = await http()
      .post('/v1/auth/logout')
      .set(sameOrigin)
      .set('Cookie', `${COOKIE}=${cookie}`)
      .send({})
      .expect(204);
    expect(sessionCookie(res)).toMatchObject({
      value: '',
      attributes: { 'max-age': '0', path: '/v1/auth', httponly: true, secure: true },
    });
    problem(await refreshWith(cookie), 401, 'UNAUTHENTICATED');
    // Without a cookie (already signed out) logout is still 204, and refresh 401.
    await http().post('/v1/auth/logout').set(sameOrigin).send({}).expect(204);
    problem(await http().post('/v1/auth/refresh').set(sameOrigin).send({}), 401, 'UNAUTHENTICATED');
  });

  it('reads the cookie only with the header and from the same origin: otherwise 403, and the session lives on', async () => {
    const { cookie } = await cookieLogin();
    const withCookie = (headers: Record<string, string>) =>
      http().post('/v1/auth/refresh').set(headers).set('Cookie', `${COOKIE}=${cookie}`).send({});

    const noHeader = await withCookie({ Origin: baseURL });
    problem(noHeader, 403, 'FORBIDDEN');
    expect(noHeader.body.detail).toContain('X-Session-Cookie: 1');
    const foreign = await withCookie({ ...COOKIE_MODE, Origin: 'https://evil.example' });
    problem(foreign, 403, 'FORBIDDEN');
    expect(foreign.body.detail).toContain('https://evil.example');
    problem(await withCookie({ ...COOKIE_MODE, Origin: 'null' }), 403, 'FORBIDDEN');
    problem(await withCookie({ ...COOKIE_MODE, 'Sec-Fetch-Site': 'same-site' }), 403, 'FORBIDDEN');
    problem(
      await http()
        .post('/v1/auth/logout')
        .set({ ...COOKIE_MODE, Origin: 'https://evil.example' })
        .set('Cookie', `${COOKIE}=${cookie}`)
        .send({}),
      403,
      'FORBIDDEN',
    );
    // None of them spent or revoked the token.
    await refreshWith(cookie).expect(200);
  });

  it('refuses cookie mode at login from another origin, setting no cookie', async () => {
    const m = await member(stack.http);
    const res = await http()
      .post('/v1/auth/login')
      .set({ ...COOKIE_MODE, Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })
      .send({ username: m.username, password: PASSWORD });
    problem(res, 403, 'FORBIDDEN');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('without the header, the JSON body works exactly as before and no cookie is set', async () => {
    const m = await member(stack.http);
    const login = await http().post('/v1/auth/login').send({ username: m.username, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      tokenType: 'Bearer',
      expiresIn: 1800,
    });
    expect(login.headers['set-cookie']).toBeUndefined();
    const refreshed = await http()
      .post('/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(200);
    expect(refreshed.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(refreshed.headers['set-cookie']).toBeUndefined();
    const logout = await http()
      .post('/v1/auth/logout')
      .send({ refreshToken: refreshed.body.refreshToken })
      .expect(204);
    expect(logout.headers['set-cookie']).toBeUndefined();
  });

  it('names the field or header at fault with 400: no refreshToken and no cookie mode, both at once, a bad header, no body', async () => {
    for (const path of ['/v1/auth/refresh', '/v1/auth/logout']) {
      const missing = await http().post(path).send({});
      problem(missing, 400, 'VALIDATION_FAILED');
      expect(fields(missing)).toEqual(['refreshToken']);

      const both = await http().post(path).set(sameOrigin).send({ refreshToken: 'some-token' });
      problem(both, 400, 'VALIDATION_FAILED');
      expect(fields(both)).toEqual(['refreshToken']);

      const badHeader = await http().post(path).set({ 'X-Session-Cookie': 'yes' }).send({});
      problem(badHeader, 400, 'VALIDATION_FAILED');
      expect(fields(badHeader)).toEqual(['X-Session-Cookie']);

      const nullToken = await http().post(path).send({ refreshToken: null });
      problem(nullToken, 400, 'VALIDATION_FAILED');
      expect(fields(nullToken)).toEqual(['refreshToken']);

      // Cookie mode still takes a body, `{}`, as the OpenAPI document requires one.
      const noBody = await http().post(path).set(sameOrigin);
      problem(noBody, 400, 'VALIDATION_FAILED');
      expect(fields(noBody)).toEqual(['body']);
    }
  });

  it('the OpenAPI document describes the header, the cookie and both answers', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body;
    for (const path of ['/v1/auth/login', '/v1/auth/refresh', '/v1/auth/logout']) {
      const operation = doc.paths[path].post;
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({ in: 'header', name: 'X-Session-Cookie', required: false }),
      );
      expect(JSON.stringify(operation.responses)).toContain(COOKIE);
    }
    expect(doc.paths['/v1/auth/login'].post.responses['200'].content['application/json'].schema).toEqual({
      anyOf: [{ $ref: '#/components/schemas/TokenPairDto' }, { $ref: '#/components/schemas/AccessGrantDto' }],
    });
    expect(doc.components.schemas.RefreshTokenDto.required ?? []).not.toContain('refreshToken');
    expect(doc.paths['/v1/auth/refresh'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/RefreshTokenDto',
    });
  });
});
