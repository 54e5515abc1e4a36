import { TestIsolation } from '@lib/testing';
import { member, PASSWORD } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

const login = (stack: IdentityStack, username: string, password: string, ip = '198.51.100.1') =>
  stack.http().post('/v1/auth/login').set('X-Forwarded-For', ip).send({ username, password });

describe('login limits in Redis: failures per account and per client IP', () => {
  describe('per account (the default: 100 failures per hour)', () => {
    const iso = new TestIsolation('limacct');
    let stack: IdentityStack;
    beforeAll(async () => {
      stack = await startIdentityStack(iso);
    });
    afterAll(async () => {
      await stack?.close();
      await iso.cleanup();
    });

    it('allows 100 failures, then answers 429 RATE_LIMITED with Retry-After, even to the right password', async () => {
      const victim = await member(stack.http);
      for (let batch = 0; batch < 10; batch++) {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            login(stack, victim.username, 'wrong-password', `198.51.100.${batch * 10 + i + 1}`),
          ),
        );
        expect(results.map((r) => r.status)).toEqual(Array(10).fill(401));
      }
      const blocked = await login(stack, victim.username, PASSWORD, '198.51.100.250');
      expect(blocked.status).toBe(429);
      expect(blocked.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(blocked.body).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(3500);
      expect(retryAfter).toBeLessThanOrEqual(3600);

      // Other accounts are unaffected.
      const bystander = await member(stack.http);
      await login(stack, bystander.username, PASSWORD).expect(200);
    });

    it('a successful login clears the account’s failures', async () => {
      const m = await member(stack.http);
      for (let i = 0; i < 5; i++) await login(stack, m.username, 'wrong-password').expect(401);
      await login(stack, m.username, PASSWORD).expect(200);
      const keys = await countFailures(iso, `login-failures:account:${m.username}`);
      expect(keys).toBe(0);
    });
  });

  describe('per client IP (LOGIN_MAX_FAILURES_PER_IP=5 here)', () => {
    const iso = new TestIsolation('limip');
    let stack: IdentityStack;
    beforeAll(async () => {
      stack = await startIdentityStack(iso, { authEnv: { LOGIN_MAX_FAILURES_PER_IP: '5' } });
    });
    afterAll(async () => {
      await stack?.close();
      await iso.cleanup();
    });

    it('blocks an IP that fails across many accounts, and only that IP', async () => {
      const m = await member(stack.http);
      for (let i = 0; i < 5; i++)
        await login(stack, `nobody-${i}`, 'wrong-password', '203.0.113.7').expect(401);
      const blocked = await login(stack, m.username, PASSWORD, '203.0.113.7');
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      await login(stack, m.username, PASSWORD, '203.0.113.8').expect(200);
    });
  });
});

async function countFailures(iso: TestIsolation, key: string): Promise<number> {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(iso.infra.redisUrl);
  try {
    return await redis.zcard(`${iso.namePrefix}ratelimit:${key}`);
  } finally {
    redis.disconnect();
  }
}
