import { TestIsolation } from '@lib/testing';
import { PasswordHasher } from '../../apps/auth/src/users/ports/password-hasher';
import { member, PASSWORD } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

const login = (stack: IdentityStack, username: string, password: string, ip = '198.51.100.1') =>
  stack.http().post('/v1/auth/login').set('X-Forwarded-For', ip).send({ username, password });

/** Every password the auth service checks (the dummy check for unknown users goes through verify too). */
function countVerifications(stack: IdentityStack): () => number {
  const verify = jest.spyOn(stack.auth.get(PasswordHasher), 'verify');
  const start = verify.mock.calls.length;
  return () => verify.mock.calls.length - start;
}

const statuses = (results: { status: number }[]) => results.map((r) => r.status).sort();

describe('login limits in Redis: failures per (account, client IP) and per client IP', () => {
  describe('the defaults: 10 per account and IP per 15 minutes, 100 per IP per hour', () => {
    const iso = new TestIsolation('limpair');
    let stack: IdentityStack;
    beforeAll(async () => {
      stack = await startIdentityStack(iso);
    });
    afterAll(async () => {
      jest.restoreAllMocks();
      await stack?.close();
      await iso.cleanup();
    });

    it('after 9 failures, 12 concurrent wrong guesses: exactly 1 × 401 and 11 × 429, and only that one password checked', async () => {
      const victim = await member(stack.http);
      const ip = '198.51.100.20';
      for (let i = 0; i < 9; i++) await login(stack, victim.username, 'wrong-password', ip).expect(401);
      const verifications = countVerifications(stack);

      const guesses = await Promise.all(
        Array.from({ length: 12 }, (_, i) => login(stack, victim.username, `guess-number-${i}`, ip)),
      );

      // The 10th failure takes the last slot; the 11 others are refused before their password is read.
      expect(statuses(guesses)).toEqual([401, ...Array(11).fill(429)]);
      expect(verifications()).toBe(1);
      for (const refused of guesses.filter((r) => r.status === 429)) {
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
        const retryAfter = Number(refused.headers['retry-after']);
        expect(Number.isInteger(retryAfter)).toBe(true);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      }

      // The right password from that IP is refused too, unchecked: the pair is locked...
      const locked = await login(stack, victim.username, PASSWORD, ip);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(verifications()).toBe(1);
      // ...but only the pair: the owner, from an IP without failures, logs in.
      await login(stack, victim.username, PASSWORD, '198.51.100.21').expect(200);
    });

    it('110 failures from 11 other IPs do not stop the owner’s right password from a clean IP', async () => {
      const owner = await member(stack.http);
      for (let n = 0; n < 11; n++) {
        const ip = `203.0.113.${n + 1}`;
        const results = await Promise.all(
          Array.from({ length: 10 }, () => login(stack, owner.username, 'wrong-password', ip)),
        );
        expect(statuses(results)).toEqual(Array(10).fill(401));
        // Each of those IPs is now locked out of this account.
        expect((await login(stack, owner.username, 'wrong-password', ip)).status).toBe(429);
      }

      await login(stack, owner.username, PASSWORD, '203.0.113.200').expect(200);
      // The attacker's IPs are still locked out, the owner's success notwithstanding.
      expect((await login(stack, owner.username, PASSWORD, '203.0.113.1')).status).toBe(429);
    });

    it('a success resets its pair (10 more failures allowed) and does not count against the IP', async () => {
      const m = await member(stack.http);
      const ip = '198.51.100.30';
      for (let i = 0; i < 9; i++) await login(stack, m.username, 'wrong-password', ip).expect(401);
      await login(stack, m.username, PASSWORD, ip).expect(200);
      expect(await logSize(iso, `login-failures:account-ip:${ip}|${m.username}`)).toBe(0);
      expect(await logSize(iso, `login-failures:ip:${ip}`)).toBe(9);

      for (let i = 0; i < 10; i++) await login(stack, m.username, 'wrong-password', ip).expect(401);
      expect((await login(stack, m.username, 'wrong-password', ip)).status).toBe(429);
      expect(await logSize(iso, `login-failures:ip:${ip}`)).toBe(19);
    });
  });

  describe('per client IP across accounts (LOGIN_MAX_FAILURES_PER_IP=5 here)', () => {
    const iso = new TestIsolation('limip');
    let stack: IdentityStack;
    beforeAll(async () => {
      stack = await startIdentityStack(iso, { authEnv: { LOGIN_MAX_FAILURES_PER_IP: '5' } });
    });
    afterAll(async () => {
      jest.restoreAllMocks();
      await stack?.close();
      await iso.cleanup();
    });

    it('blocks an IP that fails across many accounts, and only that IP', async () => {
      const m = await member(stack.http);
      for (let i = 0; i < 5; i++)
        await login(stack, `nobody-${i}`, 'wrong-password', '203.0.113.7').expect(401);
      const blocked = await login(stack, m.username, PASSWORD, '203.0.113.7');
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({ code: 'RATE_LIMITED' });
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await login(stack, m.username, PASSWORD, '203.0.113.8').expect(200);
    });

    it('12 concurrent guesses at 12 accounts from one IP: exactly 5 × 401 and 7 × 429, 5 passwords checked', async () => {
      const verifications = countVerifications(stack);
      const guesses = await Promise.all(
        Array.from({ length: 12 }, (_, i) => login(stack, `spray-${i}`, 'wrong-password', '203.0.113.9')),
      );
      expect(statuses(guesses)).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
      expect(verifications()).toBe(5);
    });
  });
});

async function logSize(iso: TestIsolation, key: string): Promise<number> {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(iso.infra.redisUrl);
  try {
    return await redis.zcard(`${iso.namePrefix}ratelimit:${key}`);
  } finally {
    redis.disconnect();
  }
}
