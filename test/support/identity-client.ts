import type request from 'supertest';

type Http = () => ReturnType<typeof request>;

let counter = 0;
/** A username nobody else in this run has. */
export function uniqueUsername(label = 'user'): string {
  return `${label}.${process.pid}.${Date.now().toString(36)}.${++counter}`.slice(0, 32);
}

export const PASSWORD = 'correct-horse-battery';

export async function register(
  http: Http,
  fields: Partial<{ username: string; password: string; email: string; inviteCode: string }> = {},
) {
  const username = fields.username ?? uniqueUsername();
  const res = await http()
    .post('/v1/auth/register')
    .send({ username, password: PASSWORD, email: `${username}@example.com`, ...fields });
  return { res, username };
}

/** Registers and logs in; returns the ids and both tokens. */
export async function member(http: Http, fields: Parameters<typeof register>[1] = {}) {
  const { res, username } = await register(http, fields);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const login = await http()
    .post('/v1/auth/login')
    .send({ username, password: fields.password ?? PASSWORD });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return {
    username,
    userId: res.body.userId as string,
    groupId: res.body.groupId as string,
    accessToken: login.body.accessToken as string,
    refreshToken: login.body.refreshToken as string,
    auth: { Authorization: `Bearer ${login.body.accessToken}` },
  };
}

/** The admin account the stack bootstraps when started with `authEnv: ADMIN_ENV`. */
export const TEST_ADMIN = { username: 'chief', password: 'admin-password-for-tests' };
export const ADMIN_ENV = { ADMIN_USERNAME: TEST_ADMIN.username, ADMIN_PASSWORD: TEST_ADMIN.password };

/** Logs in as TEST_ADMIN; returns the Authorization header and the admin's userId. */
export async function admin(http: Http) {
  const login = await http().post('/v1/auth/login').send(TEST_ADMIN);
  if (login.status !== 200)
    throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const me = await http().get('/v1/me').set('Authorization', `Bearer ${login.body.accessToken}`);
  return {
    userId: me.body.userId as string,
    groupId: me.body.groupId as string,
    accessToken: login.body.accessToken as string,
    auth: { Authorization: `Bearer ${login.body.accessToken}` },
  };
}

/** An API client's credentials and a token from the client-credentials grant. */
export interface ApiClientCaller {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  auth: { Authorization: string };
}

/** Asks `POST /v1/oauth/token` for a token with HTTP Basic credentials (form-encoded, as RFC 6749 says). */
export async function clientToken(http: Http, clientId: string, clientSecret: string, scope?: string) {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
  return http().post('/v1/oauth/token').auth(clientId, clientSecret).type('form').send(form.toString());
}

/**
 * An admin creates an API client with `scopes` (`POST /v1/admin/api-clients`), which then gets a
 * token. Purchases, and redemptions or voucher redemptions at a till, are recorded this way.
 */
export async function apiClient(
  http: Http,
  adminAuth: { Authorization: string },
  scopes: string[] = ['purchases:write'],
  name = `till ${uniqueUsername('client')}`,
): Promise<ApiClientCaller> {
  const created = await http().post('/v1/admin/api-clients').set(adminAuth).send({ name, scopes });
  if (created.status !== 201) {
    throw new Error(`api client creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  }
  const { clientId, clientSecret } = created.body as { clientId: string; clientSecret: string };
  const token = await clientToken(http, clientId, clientSecret);
  if (token.status !== 200)
    throw new Error(`client token failed: ${token.status} ${JSON.stringify(token.body)}`);
  const accessToken = token.body.access_token as string;
  return { clientId, clientSecret, accessToken, auth: { Authorization: `Bearer ${accessToken}` } };
}
