import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { TestIsolation } from '@lib/testing';
import { ADMIN_ENV, admin, apiClient, clientToken } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

type Res = { status: number; headers: Record<string, string>; body: any };

const GRANT = 'grant_type=client_credentials';
const CHALLENGE = 'Basic realm="loyalty-platform"';

/**
 * POST /v1/oauth/token, the client-credentials grant, on the real auth service and gateway: read
 * exactly as RFC 6749 says (§2.3.1 client authentication, §3.2 parameters, §4.4 the grant) and
 * answered as it says (§5.1 tokens, §5.2 errors), never cached.
 */
describe('POST /v1/oauth/token: the client-credentials grant (RFC 6749) (e2e)', () => {
  const iso = new TestIsolation('oauth-token');
  let stack: IdentityStack;
  let chief: { Authorization: string };
  let till: Awaited<ReturnType<typeof apiClient>>;

  beforeAll(async () => {
    stack = await startIdentityStack(iso, { authEnv: ADMIN_ENV });
    chief = (await admin(stack.http)).auth;
    till = await apiClient(stack.http, chief, ['purchases:write', 'members:read']);
  });

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  const post = () => stack.http().post('/v1/oauth/token');
  /** A form body sent as is (already encoded), with HTTP Basic unless `basic` is false. */
  const form = (body: string, basic: [string, string] | false = [till.clientId, till.clientSecret]) => {
    const req = post().type('form');
    return (basic ? req.auth(...basic) : req).send(body) as unknown as Promise<Res>;
  };
  const encoded = (params: Record<string, string>) => new URLSearchParams(params).toString();

  /** Every answer of the token endpoint, success or not, is never stored (RFC 6749 §5.1). */
  const uncached = (res: Res) => {
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
  };
  /** An RFC 6749 §5.2 error: JSON (not problem+json), `error` and a description. */
  const oauthError = (res: Res, status: 400 | 401, error: string) => {
    expect([res.status, res.body.error]).toEqual([status, error]);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body).sort()).toEqual(['error', 'error_description']);
    // §5.2: printable ASCII without `"` and `\`.
    expect(res.body.error_description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
    uncached(res);
    if (status === 401) expect(res.headers['www-authenticate']).toBe(CHALLENGE);
  };

  describe('a token', () => {
    it('with HTTP Basic: 200 {access_token, token_type: Bearer, expires_in, scope}, uncached', async () => {
      const res = await form(GRANT);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        scope: expect.any(String),
      });
      expect(res.body.scope.split(' ').sort()).toEqual(['members:read', 'purchases:write']);
      uncached(res);
    });

    it("carries API.md's claims: sub and client_id the client, its scope, roles [client], iss, aud, iat, exp, jti", async () => {
      const { body } = await form(GRANT);
      const header = decodeProtectedHeader(body.access_token);
      expect(header).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
      const claims = decodeJwt(body.access_token);
      expect(claims).toMatchObject({
        sub: till.clientId,
        client_id: till.clientId,
        roles: ['client'],
        iss: 'loyalty-platform',
        aud: 'loyalty-api',
        jti: expect.any(String),
      });
      expect(String(claims.scope).split(' ').sort()).toEqual(['members:read', 'purchases:write']);
      expect(claims.gid).toBeUndefined();
      expect(claims.exp! - claims.iat!).toBe(body.expires_in);
      expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(60);
      // The JWKS the gateway serves lists the key that signed it.
      const jwks = await stack.http().get('/.well-known/jwks.json').expect(200);
      expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    });

    it('with client_id and client_secret in the form instead: 200', async () => {
      const res = await form(
        `${GRANT}&${encoded({ client_id: till.clientId, client_secret: till.clientSecret })}`,
        false,
      );
      expect(res.status).toBe(200);
      expect(decodeJwt(res.body.access_token).sub).toBe(till.clientId);
    });

    it('with a scope: only the scopes asked for, in the answer and in the token', async () => {
      const res = await form(`${GRANT}&scope=members%3Aread`);
      expect(res.status).toBe(200);
      expect(res.body.scope).toBe('members:read');
      expect(decodeJwt(res.body.access_token).scope).toBe('members:read');
    });

    it('ignores parameters it does not know (§3.2) and treats an empty one as omitted (§3.1)', async () => {
      const res = await form(`${GRANT}&audience=https%3A%2F%2Fx&resource=a&scope=`);
      expect(res.status).toBe(200);
      expect(res.body.scope.split(' ').sort()).toEqual(['members:read', 'purchases:write']);
    });

    it("is verified by the gateway like a person's, and refused (403) on a person's route", async () => {
      const { access_token } = (await form(GRANT)).body;
      // 401 would mean the gateway does not take the token at all; 403 that it knows the caller.
      const res = await stack.http().get('/v1/me').set('Authorization', `Bearer ${access_token}`);
      expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    });

    it('is counted by the per-IP rate limit like every other route', async () => {
      const res = await form(GRANT);
      expect(res.headers['ratelimit-policy']).toMatch(/^"ip";q=\d+;w=60$/);
    });
  });

  describe('RFC 6749 §5.2 errors', () => {
    it('unknown client, wrong secret: 401 invalid_client, the same body, with the Basic challenge', async () => {
      const unknown = await form(GRANT, [randomUUID(), till.clientSecret]);
      const wrong = await form(GRANT, [till.clientId, `${till.clientSecret}x`]);
      const wrongInForm = await form(
        `${GRANT}&${encoded({ client_id: till.clientId, client_secret: 'lps_wrong' })}`,
        false,
      );
      for (const res of [unknown, wrong, wrongInForm]) oauthError(res, 401, 'invalid_client');
      expect(wrong.body).toEqual(unknown.body);
    });

    it('no client authentication at all: 401 invalid_client (§5.2 names this case)', async () => {
      oauthError(await form(GRANT, false), 401, 'invalid_client');
      oauthError(await form(`${GRANT}&client_id=${till.clientId}`, false), 401, 'invalid_client');
      oauthError(
        await post().set('Authorization', `Bearer ${till.accessToken}`).type('form').send(GRANT),
        401,
        'invalid_client',
      );
    });

    it('a revoked client: 401 invalid_client', async () => {
      const gone = await apiClient(stack.http, chief, ['members:read']);
      await stack.http().delete(`/v1/admin/api-clients/${gone.clientId}`).set(chief).expect(204);
      oauthError(await clientToken(stack.http, gone.clientId, gone.clientSecret), 401, 'invalid_client');
    });

    it('a scope the client was not granted, or no such scope: 400 invalid_scope', async () => {
      for (const scope of [
        'redemptions:write',
        'purchases:write redemptions:write',
        'admin',
        'members:read  purchases:write',
      ]) {
        const res = await form(`${GRANT}&${encoded({ scope })}`);
        expect([scope, res.status, res.body.error]).toEqual([scope, 400, 'invalid_scope']);
        oauthError(res, 400, 'invalid_scope');
      }
    });

    it('a grant other than client_credentials: 400 unsupported_grant_type', async () => {
      for (const grant of [
        'password',
        'authorization_code',
        'refresh_token',
        'urn:ietf:params:oauth:grant-type:jwt-bearer',
      ]) {
        oauthError(await form(encoded({ grant_type: grant })), 400, 'unsupported_grant_type');
      }
    });

    it('grant_type missing, or empty: 400 invalid_request', async () => {
      oauthError(await form('scope=members%3Aread'), 400, 'invalid_request');
      oauthError(await form('grant_type='), 400, 'invalid_request');
      oauthError(await form(''), 400, 'invalid_request');
      const noBody = (await post().auth(till.clientId, till.clientSecret)) as unknown as Res;
      oauthError(noBody, 400, 'invalid_request');
    });

    it('a repeated parameter: 400 invalid_request (§3.2)', async () => {
      oauthError(await form(`${GRANT}&${GRANT}`), 400, 'invalid_request');
      oauthError(await form(`${GRANT}&scope=members%3Aread&scope=purchases%3Awrite`), 400, 'invalid_request');
    });

    it('credentials both in HTTP Basic and in the form: 400 invalid_request', async () => {
      const both = `${GRANT}&${encoded({ client_id: till.clientId, client_secret: till.clientSecret })}`;
      const res = await form(both);
      oauthError(res, 400, 'invalid_request');
      expect(res.body.error_description).toMatch(/both/);
    });

    it('a secret in the URI: 400 invalid_request (§2.3.1: only in the body)', async () => {
      const res = (await post()
        .query({ client_secret: till.clientSecret })
        .auth(till.clientId, till.clientSecret)
        .type('form')
        .send(GRANT)) as unknown as Res;
      oauthError(res, 400, 'invalid_request');
    });

    it('a JSON body: 415 UNSUPPORTED_MEDIA_TYPE (problem+json, naming the form type), still uncached', async () => {
      const res = (await post()
        .auth(till.clientId, till.clientSecret)
        .send({ grant_type: 'client_credentials' })) as unknown as Res;
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(res.body.detail).toContain('application/x-www-form-urlencoded');
      uncached(res);
    });
  });

  describe('the OpenAPI document', () => {
    it('says how to get a token: an oauth2 client-credentials scheme with the five scopes, and this route', async () => {
      const doc = (await stack.http().get('/docs-json').expect(200)).body;
      const scheme = doc.components.securitySchemes.oauth2;
      expect(scheme.flows.clientCredentials.tokenUrl).toBe('/v1/oauth/token');
      expect(Object.keys(scheme.flows.clientCredentials.scopes).sort()).toEqual([
        'members:read',
        'payer-transactions:write',
        'purchases:write',
        'redemptions:write',
        'vouchers:redeem',
      ]);
      const token = doc.paths['/v1/oauth/token'].post;
      expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
      expect(token.responses[401].headers['WWW-Authenticate']).toBeDefined();
      expect(token.responses[400].content['application/json']).toBeDefined();
    });
  });
});
