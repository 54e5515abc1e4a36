import { TestIsolation } from '@lib/testing';
import { PASSWORD, uniqueUsername } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

const statuses = (results: { status: number }[]) => results.map((r) => r.status).sort();

const signUp = (stack: IdentityStack, ip: string, username = uniqueUsername('flood')) =>
  stack
    .http()
    .post('/v1/auth/register')
    .set('X-Forwarded-For', ip)
    .send({ username, password: PASSWORD, email: `${username}@example.com` });

/** A new member signed up and logged in from `ip`: their Authorization header. */
async function memberFrom(stack: IdentityStack, ip: string): Promise<Record<string, string>> {
  const username = uniqueUsername('inviter');
  await signUp(stack, ip, username).expect(201);
  const login = await stack
    .http()
    .post('/v1/auth/login')
    .set('X-Forwarded-For', ip)
    .send({ username, password: PASSWORD })
    .expect(200);
  return { Authorization: `Bearer ${login.body.accessToken}` };
}

/** A stack whose gateway is built while TRUST_PROXY has `trustProxy` (unset: the default). */
async function startWithTrustProxy(
  iso: TestIsolation,
  trustProxy: string | undefined,
  authEnv: NodeJS.ProcessEnv,
): Promise<IdentityStack> {
  const saved = process.env.TRUST_PROXY;
  if (trustProxy === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = trustProxy;
  try {
    return await startIdentityStack(iso, { authEnv });
  } finally {
    if (saved === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = saved;
  }
}

describe('sign-up and invite limits (defaults: 20 registrations per IP per hour, 20 invites per user per day)', () => {
  const iso = new TestIsolation('abuselim');
  let stack: IdentityStack;
  beforeAll(async () => {
    stack = await startWithTrustProxy(iso, undefined, {
      RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: '20',
      RATE_LIMIT_INVITES_PER_USER_PER_DAY: '20',
    });
  });
  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  it('25 concurrent registrations from one IP: exactly 20 × 201 and 5 × 429 RATE_LIMITED with Retry-After', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, () => signUp(stack, '198.51.100.77')));

    expect(statuses(results)).toEqual([...Array(20).fill(201), ...Array(5).fill(429)]);
    for (const refused of results.filter((r) => r.status === 429)) {
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(3600);
    }
    // Another address still signs up.
    expect((await signUp(stack, '198.51.100.78')).status).toBe(201);
  });

  it('a member’s 21st invite of the day is 429 RATE_LIMITED with Retry-After; another member’s is not', async () => {
    const inviter = await memberFrom(stack, '198.51.100.90');
    const invite = (auth: Record<string, string>) => stack.http().post('/v1/groups/me/invites').set(auth);
    const first = await Promise.all(Array.from({ length: 20 }, () => invite(inviter)));
    expect(statuses(first)).toEqual(Array(20).fill(201));

    const refused = await invite(inviter);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(86_400);

    const other = await memberFrom(stack, '198.51.100.91');
    await invite(other).expect(201);
  });
});

describe('TRUST_PROXY: whose X-Forwarded-For gives the client IP', () => {
  const limit = { RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: '2' };

  describe('default (loopback only): the test client connects from 127.0.0.1, a trusted peer', () => {
    const iso = new TestIsolation('trustdef');
    let stack: IdentityStack;
    beforeAll(async () => {
      stack = await startWithTrustProxy(iso, undefined, limit);
    });
    afterAll(async () => {
      await stack?.close();
      await iso.cleanup();
    });

    it('X-Forwarded-For from the loopback peer is believed: each forwarded IP has its own count', async () => {
      expect((await signUp(stack, '192.0.2.1')).status).toBe(201);
      expect((await signUp(stack, '192.0.2.1')).status).toBe(201);
      expect((await signUp(stack, '192.0.2.1')).status).toBe(429);
      expect((await signUp(stack, '192.0.2.2')).status).toBe(201);
    });
  });

  describe('a range that excludes the peer (TRUST_PROXY=10.0.0.0/8): its X-Forwarded-For is ignored', () => {
    const iso = new TestIsolation('trustext');
    let stack: IdentityStack;
    beforeAll(async () => {
      stack = await startWithTrustProxy(iso, '10.0.0.0/8', limit);
    });
    afterAll(async () => {
      await stack?.close();
      await iso.cleanup();
    });

    it('rotating X-Forwarded-For does not beat the per-IP limit: every request counts as the peer', async () => {
      const results = [];
      for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'])
        results.push(await signUp(stack, ip));
      expect(results.map((r) => r.status)).toEqual([201, 201, 429, 429]);
    });
  });
});
