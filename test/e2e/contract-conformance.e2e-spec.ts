import { randomUUID } from 'node:crypto';
import { RPC } from '@lib/contracts';
import { DomainError, ERROR_CATALOGUE, type ErrorCode, type ErrorCodeEntry } from '@lib/errors';
import { RpcClient } from '@lib/messaging';
import { LOGGER, type Logger } from '@lib/observability';
import { TestIsolation } from '@lib/testing';
import { createBook, uploadCodes } from '../support/coupons-client';
import { ADMIN_ENV, admin, apiClient, member } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';

type Auth = Record<string, string>;
type Res = { status: number; headers: Record<string, string>; body: any; text: string };
type Schema = { $ref?: string; allOf?: Schema[]; properties?: Record<string, unknown> };

/**
 * What a careful client trips over (issue 23), on the running platform: unknown fields and bodies
 * where none is taken, coerced types, control characters, media types other than JSON, bodies
 * nested too deep, caching of token answers, and an OpenAPI document that must say every member
 * a problem can carry and every route the gateway serves.
 */
describe('contract conformance: what a careful client trips over (e2e)', () => {
  const iso = new TestIsolation('conformance');
  let stack: PlatformStack;
  let chief: Auth;
  let alice: Awaited<ReturnType<typeof member>>;
  let till: Awaited<ReturnType<typeof apiClient>>;
  let bookId: string;
  let codes: string[];
  let doc: any;
  let errorLogs: jest.SpyInstance;

  beforeAll(async () => {
    stack = await startPlatformStack(iso, { services: ['loyalty', 'promotion'], authEnv: ADMIN_ENV });
    const adminAuth = (await admin(stack.http)).auth;
    chief = adminAuth;
    alice = await member(stack.http);
    till = await apiClient(stack.http, adminAuth, ['purchases:write', 'members:read']);
    bookId = (await createBook(stack.http, chief)).couponBookId;
    codes = await uploadCodes(stack.http, chief, bookId, 3);
    doc = (await stack.http().get('/docs-json').expect(200)).body;
    errorLogs = jest.spyOn(stack.gateway.get<Logger>(LOGGER), 'error');
  });

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  const http = () => stack.http();
  const problem = (res: Res, status: number, code: ErrorCode) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };
  const fields = (res: Res) => new Set(res.body.errors.map((e: { field: string }) => e.field));
  const refused = (res: Res, ...names: string[]) => {
    problem(res, 400, 'VALIDATION_FAILED');
    expect(fields(res)).toEqual(new Set(names));
  };
  const stats = async () =>
    (await http().get(`/v1/admin/coupon-books/${bookId}`).set(chief).expect(200)).body.stats;
  /** The refusal a request sent straight to a service's queue gets (the second boundary). */
  const rpcRefusal = async (service: 'auth' | 'promotion', pattern: string, request: object) => {
    const err = await stack.gateway
      .get(RpcClient)
      .send(service, pattern, request)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  };

  describe('unknown fields are refused on every route, with a body or without one', () => {
    it('POST /v1/groups/me/invites takes no body: {groupId} is 400 naming it, and no invite is made', async () => {
      const res = await http().post('/v1/groups/me/invites').set(alice.auth).send({ groupId: 'x' });
      refused(res, 'groupId');
      expect(res.body.errors).toEqual([{ field: 'groupId', message: 'is not an allowed field' }]);
      // Without the field (or with an empty object, as the admin console sends) it works.
      await http().post('/v1/groups/me/invites').set(alice.auth).send({}).expect(201);
      await http().post('/v1/groups/me/invites').set(alice.auth).expect(201);
    });

    it('POST /v1/coupon-books/{id}/assignments: {userId, code} is 400 naming both, and nothing is assigned', async () => {
      const res = await http()
        .post(`/v1/coupon-books/${bookId}/assignments`)
        .set(alice.auth)
        .send({ userId: alice.userId, code: codes[0] });
      refused(res, 'userId', 'code');
      expect((await stats()).assigned).toBe(0);
    });

    it('a route without a body refuses any other body (an array, null, a string) naming body', async () => {
      for (const raw of ['[]', 'null', '"x"', '[{"code":"A"}]']) {
        const res = await http()
          .post(`/v1/coupon-books/${bookId}/assignments`)
          .set(alice.auth)
          .set('content-type', 'application/json')
          .send(raw);
        refused(res, 'body');
      }
      expect((await stats()).assigned).toBe(0);
    });

    it('a GET refuses a body and undeclared query parameters too', async () => {
      refused(await http().get('/v1/me').set(alice.auth).send({ userId: 'someone' }), 'userId');
      refused(await http().get('/v1/me?userId=someone').set(alice.auth), 'userId');
      refused(await http().get('/v1/coupons/me?limit=5').set(alice.auth), 'limit');
      await http().get('/v1/me').set(alice.auth).send({}).expect(200);
    });

    it('a caller without a token still learns that first (401 before 400)', async () => {
      problem(await http().post('/v1/groups/me/invites').send({ groupId: 'x' }), 401, 'UNAUTHENTICATED');
    });

    it('the token endpoint is the exception: it ignores parameters it does not know (RFC 6749 §3.2)', async () => {
      const res = await http()
        .post('/v1/oauth/token?state=x')
        .auth(till.clientId, till.clientSecret)
        .type('form')
        .send('grant_type=client_credentials&audience=x&groupId=y');
      expect(res.status).toBe(200);
      expect(res.body.token_type).toBe('Bearer');
    });

    it('a purchase names its member: without userId it is 400 naming it, for the API client too', async () => {
      const res = await http()
        .post('/v1/purchases')
        .set(till.auth)
        .send({ purchaseId: randomUUID(), amount: '1.00', groupId: alice.groupId });
      refused(res, 'userId', 'groupId');
    });

    it('a route with a body names its unknown fields, as before', async () => {
      const res = await http()
        .post(`/v1/coupons/${codes[0]}/lock`)
        .set(alice.auth)
        .send({ seconds: 60, hold: 1 });
      refused(res, 'hold');
    });
  });

  describe('types are exact: nothing is coerced', () => {
    let code: string;

    beforeAll(async () => {
      const res = await http().post(`/v1/coupon-books/${bookId}/assignments`).set(alice.auth).expect(201);
      code = res.body.code;
    });

    it('a lock of seconds "60" or true is 400 naming seconds, and locks nothing', async () => {
      for (const seconds of ['60', true, '1', [60], 60.5]) {
        refused(await http().post(`/v1/coupons/${code}/lock`).set(alice.auth).send({ seconds }), 'seconds');
      }
      const lock = await http()
        .post(`/v1/coupons/${code}/lock`)
        .set(alice.auth)
        .send({ seconds: 60 })
        .expect(200);
      const seconds = (Date.parse(lock.body.lockedUntil) - Date.now()) / 1000;
      expect(seconds).toBeGreaterThan(30);
      expect(seconds).toBeLessThanOrEqual(60);
      await http().delete(`/v1/coupons/${code}/lock`).set(alice.auth).set('Lock-Token', lock.body.lockToken);
    });

    it('the service refuses a coerced type too, when the request reaches its queue some other way', async () => {
      const err = await rpcRefusal('promotion', RPC.promotion.lockCoupon, {
        caller: { accessToken: alice.accessToken },
        params: { code },
        body: { seconds: '60' },
      });
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.errors?.map((e) => e.field)).toContain('seconds');
    });

    it('a query number is a plain decimal integer: 1e1, " 5", 0x10, 5.0 and +5 are 400 naming limit', async () => {
      for (const limit of ['1e1', '%205', '0x10', '5.0', '+5', '5%20']) {
        refused(await http().get(`/v1/admin/users?limit=${limit}`).set(chief), 'limit');
      }
      refused(await http().get('/v1/admin/stats?days=1e1').set(chief), 'days');
      const page = await http().get('/v1/admin/users?limit=1').set(chief).expect(200);
      expect(page.body.items).toHaveLength(1);
    });
  });

  describe('control characters are 400 naming the field, never a database error', () => {
    it('GET /v1/admin/users?query=a%00b is 400 naming query (it was a 500)', async () => {
      const res = await http().get('/v1/admin/users?query=a%00b').set(chief);
      refused(res, 'query');
      expect(res.body.errors[0].message).toMatch(/control characters/);
      refused(await http().get('/v1/admin/users?query=a%09b').set(chief), 'query');
      refused(await http().get('/v1/admin/users?query=a%7Fb').set(chief), 'query');
    });

    it('in path parameters', async () => {
      for (const [res, field] of [
        [await http().get('/v1/admin/coupon-books/a%00b').set(chief), 'couponBookId'],
        [await http().post('/v1/coupons/A%0AB/lock').set(alice.auth).send({}), 'code'],
      ] as const) {
        problem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors).toEqual([{ field, message: expect.stringMatching(/control characters/) }]);
      }
    });

    it('in body strings, nested ones and field names; tab, LF and CR are text and pass', async () => {
      refused(
        await http().post('/v1/auth/login').send({ username: 'a\u0000b', password: 'correct-horse-battery' }),
        'username',
      );
      const upload = await http()
        .post(`/v1/admin/coupon-books/${bookId}/codes`)
        .set(chief)
        .send({ codes: ['OK-1', 'BAD\u0001'] });
      refused(upload, 'codes.1');
      refused(
        await http().post('/v1/admin/coupon-books').set(chief).send({ name: 'n', 'x\u0000': 1 }),
        'x\u0000',
      );
      const text = await http()
        .post('/v1/admin/coupon-books')
        .set(chief)
        .send({ name: 'Two lines', description: 'first\r\nsecond\tindented' })
        .expect(201);
      expect(text.body.description).toBe('first\r\nsecond\tindented');
    });

    it('the service refuses them too, off its queue (a NUL never reaches MongoDB)', async () => {
      const { accessToken } = await admin(stack.http);
      const err = await rpcRefusal('auth', RPC.auth.listUsers, {
        caller: { accessToken },
        query: { query: 'a\u0000b' },
      });
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.errors).toEqual([{ field: 'query', message: expect.stringMatching(/control characters/) }]);
    });
  });

  describe('bodies are JSON unless a route says otherwise', () => {
    it.each([
      ['application/x-www-form-urlencoded', 'username=chief&password=admin-password-for-tests'],
      ['text/plain', '{"username":"chief","password":"admin-password-for-tests"}'],
      ['application/xml', '<login/>'],
      ['multipart/form-data; boundary=x', '--x--'],
    ])('a %s body is 415 UNSUPPORTED_MEDIA_TYPE', async (type, raw) => {
      const res = await http().post('/v1/auth/login').set('content-type', type).send(raw);
      problem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.type).toMatch(/#unsupported-media-type$/);
    });

    it('the token endpoint takes form-encoded bodies only: JSON there is 415 naming the form type', async () => {
      const res = await http()
        .post('/v1/oauth/token')
        .auth(till.clientId, till.clientSecret)
        .send({ grant_type: 'client_credentials' });
      problem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.detail).toContain('application/x-www-form-urlencoded');
      const form = await http()
        .post('/v1/oauth/token')
        .auth(till.clientId, till.clientSecret)
        .set('content-type', 'application/x-www-form-urlencoded; charset=utf-8')
        .send('grant_type=client_credentials');
      expect(form.status).toBe(200);
    });

    it('a form-encoded body on a route without a body is 415 as well', async () => {
      const res = await http().post('/v1/groups/me/invites').set(alice.auth).type('form').send('groupId=x');
      problem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('JSON with a charset is JSON', async () => {
      await http()
        .post('/v1/auth/login')
        .set('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ username: 'chief', password: 'admin-password-for-tests' }))
        .expect(200);
    });
  });

  describe('malformed JSON of any shape is a 4xx, never a 500, and logs no error', () => {
    const post = (raw: string) =>
      http()
        .post('/v1/auth/login')
        .set('content-type', 'application/json')
        .send(raw) as unknown as Promise<Res>;
    const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

    beforeEach(() => errorLogs.mockClear());
    afterEach(() => expect(errorLogs).not.toHaveBeenCalled());

    it('50,000 levels of arrays or objects is 400 naming body, before any validation', async () => {
      for (const raw of [deepArray(50_000), deepObject(50_000), `{"username":${deepArray(50_000)}}`]) {
        const res = await post(raw);
        refused(res, 'body');
        expect(res.body.errors).toEqual([
          { field: 'body', message: 'must not be nested more than 64 levels deep' },
        ]);
      }
    });

    it('64 levels get to validation; 65 do not', async () => {
      refused(await post(`{"username":${deepArray(63)},"password":"correct-horse-battery"}`), 'username');
      refused(await post(`{"username":${deepArray(64)},"password":"correct-horse-battery"}`), 'body');
    });

    it('deep on a route that needs a token, without one: 400 still (the body is read first)', async () => {
      const res = await http()
        .post('/v1/redemptions')
        .set('content-type', 'application/json')
        .send(deepObject(10_000));
      refused(res, 'body');
    });

    it('truncated, deep and truncated, or not JSON at all: 400', async () => {
      for (const raw of ['{"username":', '['.repeat(50_000), '{"a":1}}', 'nope', '\u0000']) {
        problem(await post(raw), 400, 'VALIDATION_FAILED');
      }
    });

    it('huge (past the 1 MiB limit), flat or deep: 413', async () => {
      for (const raw of [JSON.stringify({ username: 'x'.repeat(2_000_000) }), deepArray(600_000)]) {
        const res = await post(raw);
        expect(res.status).toBe(413);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });
  });

  describe('Cache-Control: no-store on /v1/auth/*, /v1/oauth/token and /v1/me, errors included', () => {
    it.each([
      [
        'a login',
        () => http().post('/v1/auth/login').send({ username: 'chief', password: 'admin-password-for-tests' }),
        200,
      ],
      [
        'a failed login',
        () => http().post('/v1/auth/login').send({ username: 'chief', password: 'wrong-password-x' }),
        401,
      ],
      ['a refused refresh', () => http().post('/v1/auth/refresh').send({ refreshToken: 'spent' }), 401],
      ['a broken register', () => http().post('/v1/auth/register').send({ username: '!' }), 400],
      ['an unknown auth route', () => http().post('/v1/auth/nothing').send({}), 404],
      ['GET /v1/me', () => http().get('/v1/me').set(alice.auth), 200],
      ['GET /v1/me without a token', () => http().get('/v1/me'), 401],
      [
        'a client token',
        () =>
          http()
            .post('/v1/oauth/token')
            .auth(till.clientId, till.clientSecret)
            .type('form')
            .send('grant_type=client_credentials'),
        200,
      ],
      [
        'a refused token request',
        () => http().post('/v1/oauth/token').type('form').send('grant_type=password'),
        400,
      ],
      ['a token request in JSON', () => http().post('/v1/oauth/token').send({}), 415],
      [
        'a new API client',
        () =>
          http()
            .post('/v1/admin/api-clients')
            .set(chief)
            .send({ name: 'n', scopes: ['members:read'] }),
        201,
      ],
    ])('%s', async (_label, send, status) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('the token endpoint also sends Pragma: no-cache (RFC 6749 §5.1), on every answer', async () => {
      for (const res of [
        await http()
          .post('/v1/oauth/token')
          .auth(till.clientId, till.clientSecret)
          .type('form')
          .send('grant_type=client_credentials'),
        await http().post('/v1/oauth/token').type('form').send('grant_type=client_credentials'),
        await http().post('/v1/oauth/token').send({}),
      ]) {
        expect([res.status, res.headers.pragma]).toEqual([res.status, 'no-cache']);
      }
    });
  });

  describe('the OpenAPI document', () => {
    /** The properties a response's problem schema documents (ProblemDto and the extra members). */
    const documented = (path: string, method: string, status: number): Set<string> => {
      const response = doc.paths[path][method].responses[status];
      const schema: Schema = response.content['application/problem+json'].schema;
      const parts = (schema.allOf ?? [schema]).map((part) =>
        part.$ref ? doc.components.schemas[part.$ref.split('/').pop()!] : part,
      );
      return new Set(parts.flatMap((part: Schema) => Object.keys(part.properties ?? {})));
    };

    it('documents every extra member of every code each problem response lists', () => {
      let checked = 0;
      for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
        for (const [method, operation] of Object.entries<any>(item)) {
          for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
            if (!response.content?.['application/problem+json']) continue;
            const members = documented(path, method, Number(status));
            for (const code of response.description.split(', ') as ErrorCode[]) {
              const entry: ErrorCodeEntry = ERROR_CATALOGUE[code];
              expect(entry).toBeDefined();
              for (const name of [
                'type',
                'title',
                'status',
                'detail',
                'code',
                ...Object.keys(entry.fields ?? {}),
              ]) {
                if (!members.has(name))
                  throw new Error(`${method} ${path} ${status}: ${code}'s ${name} is missing`);
                checked++;
              }
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(100);
    });

    it("says INSUFFICIENT_POINTS' available and requested, and every member a real 422 has", async () => {
      expect(documented('/v1/redemptions', 'post', 422)).toEqual(expect.any(Set));
      const members = documented('/v1/redemptions', 'post', 422);
      expect(members.has('available') && members.has('requested')).toBe(true);
      const res = await http()
        .post('/v1/redemptions')
        .set(alice.auth)
        .send({ redemptionId: randomUUID(), points: 10 });
      problem(res, 422, 'INSUFFICIENT_POINTS');
      for (const name of Object.keys(res.body)) expect([name, members.has(name)]).toEqual([name, true]);
    });

    it("says PATTERN_CAPACITY's capacity, and every member a real one has", async () => {
      const path = '/v1/admin/coupon-books/{couponBookId}/generation-jobs';
      const members = documented(path, 'post', 422);
      const res = await http()
        .post(`/v1/admin/coupon-books/${bookId}/generation-jobs`)
        .set(chief)
        .send({ count: 1000, pattern: 'P-#' });
      problem(res, 422, 'PATTERN_CAPACITY');
      expect(res.body.capacity).toEqual(expect.any(Number));
      for (const name of Object.keys(res.body)) expect([name, members.has(name)]).toEqual([name, true]);
    });

    it("says UNKNOWN_MEMBER's errors, and every member a real one has", async () => {
      const members = documented('/v1/purchases', 'post', 422);
      const res = await http()
        .post('/v1/purchases')
        .set(till.auth)
        .send({ purchaseId: randomUUID(), userId: randomUUID(), amount: '1.00' });
      problem(res, 422, 'UNKNOWN_MEMBER');
      expect(res.body.errors).toEqual([{ field: 'userId', message: expect.any(String) }]);
      for (const name of Object.keys(res.body)) expect([name, members.has(name)]).toEqual([name, true]);
    });

    it("says REFUND_EXCEEDS_PURCHASE's refundable and requestedAmount, and every member a real one has", async () => {
      const members = documented('/v1/purchases/{purchaseId}/refunds', 'post', 422);
      expect(members.has('refundable') && members.has('requestedAmount')).toBe(true);
      const purchaseId = randomUUID();
      await http()
        .post('/v1/purchases')
        .set(till.auth)
        .send({ purchaseId, userId: alice.userId, amount: '1.00' })
        .expect(201);
      const res = await http()
        .post(`/v1/purchases/${purchaseId}/refunds`)
        .set(till.auth)
        .send({ refundId: randomUUID(), amount: '1.01' });
      problem(res, 422, 'REFUND_EXCEEDS_PURCHASE');
      for (const name of Object.keys(res.body)) expect([name, members.has(name)]).toEqual([name, true]);
    });

    it('says who may call each route: the bearer scheme for people, oauth2 with the scope for API clients, and 403', () => {
      const security = (path: string, method: string) => doc.paths[path][method].security;
      expect(security('/v1/purchases', 'post')).toEqual([{ oauth2: ['purchases:write'] }]);
      expect(security('/v1/members/{userId}/points', 'get')).toEqual([{ oauth2: ['members:read'] }]);
      expect(security('/v1/redemptions', 'post')).toEqual([
        { bearer: [] },
        { oauth2: ['redemptions:write'] },
      ]);
      expect(security('/v1/admin/groups/{groupId}/transactions', 'post')).toEqual([
        { bearer: [] },
        { oauth2: ['payer-transactions:write'] },
      ]);
      expect(security('/v1/vouchers/{voucherId}/redeem', 'post')).toEqual([
        { bearer: [] },
        { oauth2: ['vouchers:redeem'] },
      ]);
      expect(security('/v1/points', 'get')).toEqual([{ bearer: [] }]);
      expect(security('/v1/purchases/{purchaseId}/refunds', 'post')).toEqual([
        { oauth2: ['purchases:write'] },
      ]);
      expect(security('/v1/redemptions/{redemptionId}/reversal', 'post')).toEqual([
        { bearer: [] },
        { oauth2: ['redemptions:write'] },
      ]);
      expect(security('/v1/admin/points-policy', 'put')).toEqual([{ bearer: [] }]);
      expect(security('/v1/admin/tiers', 'put')).toEqual([{ bearer: [] }]);
      expect(security('/v1/oauth/token', 'post')).toEqual([{ clientBasic: [] }, {}]);
      // Every route that takes a token can answer 403: a client on a person's route, a member on
      // an admin or a client route.
      for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
        for (const [method, operation] of Object.entries<any>(item)) {
          const needsToken = (operation.security ?? []).some((r: object) => 'bearer' in r || 'oauth2' in r);
          if (needsToken)
            expect([method, path, operation.responses[403]?.description]).toEqual([
              method,
              path,
              expect.stringContaining('FORBIDDEN'),
            ]);
        }
      }
    });

    it('documents 415 on every operation', () => {
      for (const item of Object.values<Record<string, any>>(doc.paths)) {
        for (const operation of Object.values<any>(item)) {
          expect(operation.responses[415].description).toContain('UNSUPPORTED_MEDIA_TYPE');
        }
      }
    });

    it('lists /health/live, /health/ready, /metrics and the JWKS with their real shapes and content types', async () => {
      const served = async (path: string) => {
        const res = await http().get(path).expect(200);
        return String(res.headers['content-type']).split(';')[0];
      };
      const schemaOf = (path: string, status: number, type: string) =>
        doc.paths[path].get.responses[status].content[type].schema;
      const resolve = (schema: Schema) => doc.components.schemas[schema.$ref!.split('/').pop()!];

      expect(await served('/health/live')).toBe('application/json');
      expect(resolve(schemaOf('/health/live', 200, 'application/json')).properties.status.enum).toEqual([
        'ok',
      ]);

      expect(await served('/health/ready')).toBe('application/json');
      const ready = resolve(schemaOf('/health/ready', 200, 'application/json'));
      expect(ready.required).toEqual(['status', 'checks']);
      expect(schemaOf('/health/ready', 503, 'application/json')).toEqual(
        schemaOf('/health/ready', 200, 'application/json'),
      );
      const readiness = (await http().get('/health/ready').expect(200)).body;
      expect(Object.keys(readiness).sort()).toEqual(Object.keys(ready.properties).sort());

      expect(await served('/metrics')).toBe('text/plain');
      expect(schemaOf('/metrics', 200, 'text/plain')).toEqual({ type: 'string' });

      expect(await served('/.well-known/jwks.json')).toBe('application/json');
      expect(schemaOf('/.well-known/jwks.json', 200, 'application/json')).toEqual({
        $ref: '#/components/schemas/JwksDto',
      });
      for (const path of ['/health/live', '/health/ready', '/metrics']) {
        expect(doc.paths[path].get).toMatchObject({ security: [], operationId: expect.any(String) });
      }
    });
  });
});
