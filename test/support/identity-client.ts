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
