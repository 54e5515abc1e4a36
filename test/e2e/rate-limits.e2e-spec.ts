import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import request from 'supertest';
import { TestIsolation } from '@lib/testing';
import { member, PASSWORD } from '../support/identity-client';
import { PrivateRedis } from '../support/private-redis';
import { IdentityStack, startGateway, startIdentityStack } from '../support/stack';

type Http = () => ReturnType<typeof request>;
const from = (http: Http, ip: string, path = '/.well-known/jwks.json') =>
  http().get(path).set('X-Forwarded-For', ip);

function statuses(responses: request.Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

function expectRefused(r: request.Response, policy: RegExp): void {
  expect(r.status).toBe(429);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  const retryAfter = Number(r.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(r.headers['ratelimit-policy']).toMatch(policy);
  expect(r.headers['ratelimit']).toMatch(new RegExp(`r=0;t=${retryAfter}`));
}

describe('rate limits on every route, shared through Redis', () => {
  describe('per client IP (RATE_LIMIT_IP_PER_MINUTE=5), across two gateway replicas', () => {
    const iso = new TestIsolation('ratelimitip');
    let stack: IdentityStack;
    let replica: NestFastifyApplication;
    const env = { RATE_LIMIT_IP_PER_MINUTE: '5', RATE_LIMIT_CALLER_PER_MINUTE: '1000' };
    beforeAll(async () => {
      stack = await startIdentityStack(iso, { gatewayEnv: env });
      replica = await startGateway(iso.config('gateway'), env);
    });
    afterAll(async () => {
      await replica?.close();
      await stack?.close();
      await iso.cleanup();
    });

    it('lets exactly 5 of 8 concurrent requests through and answers the rest 429 with Retry-After and RateLimit fields', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => from(stack.http, '203.0.113.1')));
      expect(statuses(results)).toEqual({ 200: 5, 429: 3 });
      for (const r of results.filter((x) => x.status === 429)) expectRefused(r, /^"ip";q=5;w=60$/);
      const passed = results.filter((r) => r.status === 200);
      expect(passed.map((r) => r.headers['ratelimit-policy'])).toEqual(Array(5).fill('"ip";q=5;w=60'));
      expect(passed.map((r) => /r=(\d+)/.exec(r.headers['ratelimit'])![1]).sort()).toEqual([
        '0',
        '1',
        '2',
        '3',
        '4',
      ]);

      // Another address has its own budget; unknown paths and bodies count too, before any parsing.
      await from(stack.http, '203.0.113.2').expect(200);
      await from(stack.http, '203.0.113.1', '/v1/nowhere').expect(429);
    });

    it('a second replica sharing Redis shares the budget: 8 requests over both, exactly 5 pass', async () => {
      const second: Http = () => request(replica.getHttpServer());
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => from(i % 2 ? second : stack.http, '203.0.113.3')),
      );
      expect(statuses(results)).toEqual({ 200: 5, 429: 3 });
      // Both replicas refuse now.
      await from(stack.http, '203.0.113.3').expect(429);
      await from(second, '203.0.113.3').expect(429);
    });

    it('never limits health, metrics, the API docs or the console', async () => {
      const ip = '203.0.113.4';
      await Promise.all(Array.from({ length: 5 }, () => from(stack.http, ip).expect(200)));
      await from(stack.http, ip).expect(429);
      for (const path of ['/health/live', '/health/ready', '/metrics', '/docs-json', '/docs', '/admin']) {
        const r = await from(stack.http, ip, path);
        expect({ path, status: r.status }).not.toEqual({ path, status: 429 });
        expect(r.headers['ratelimit']).toBeUndefined();
      }
    });

    it('counts under the NAME_PREFIX of this deployment', async () => {
      const redis = new Redis(iso.infra.redisUrl);
      try {
        const keys = await redis.keys(`${iso.namePrefix}ratelimit:requests:ip:203.0.113.1`);
        expect(keys).toHaveLength(1);
        expect(await redis.get(keys[0])).toBe('5');
      } finally {
        redis.disconnect();
      }
    });
  });

  describe('per caller (RATE_LIMIT_CALLER_PER_MINUTE=5), across client IPs', () => {
    const iso = new TestIsolation('ratelimitcaller');
    let stack: IdentityStack;
    beforeAll(async () => {
      stack = await startIdentityStack(iso, {
        gatewayEnv: { RATE_LIMIT_IP_PER_MINUTE: '1000', RATE_LIMIT_CALLER_PER_MINUTE: '5' },
      });
    });
    afterAll(async () => {
      await stack?.close();
      await iso.cleanup();
    });

    const tokenOf = async (username: string) =>
      (
        await stack
          .http()
          .post('/v1/auth/login')
          .set('X-Forwarded-For', '198.51.100.200')
          .send({ username, password: PASSWORD })
          .expect(200)
      ).body.accessToken as string;

    it('counts a user’s requests from every address together: exactly 5 of 8 pass', async () => {
      const token = await tokenOf((await member(stack.http)).username);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          from(stack.http, `198.51.100.${i + 1}`, '/v1/me').set('Authorization', `Bearer ${token}`),
        ),
      );
      expect(statuses(results)).toEqual({ 200: 5, 429: 3 });
      for (const r of results.filter((x) => x.status === 429)) {
        expectRefused(r, /^"ip";q=1000;w=60, "caller";q=5;w=60$/);
      }

      // Another user, from the same addresses, still has their whole budget.
      const other = await tokenOf((await member(stack.http)).username);
      await from(stack.http, '198.51.100.1', '/v1/me').set('Authorization', `Bearer ${other}`).expect(200);
    });

    it('a request without a valid token counts only against its address', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          from(stack.http, `198.51.100.${20 + i}`, '/v1/me').set('Authorization', 'Bearer not-a-token'),
        ),
      );
      expect(statuses(results)).toEqual({ 401: 8 });
      expect(results[0].headers['ratelimit-policy']).toBe('"ip";q=1000;w=60');
    });
  });

  describe('when Redis is down', () => {
    const iso = new TestIsolation('ratelimitdown');
    let stack: IdentityStack;
    let redis: PrivateRedis;
    let gateway: NestFastifyApplication;
    beforeAll(async () => {
      stack = await startIdentityStack(iso);
      redis = await PrivateRedis.start();
      gateway = await startGateway(iso.config('gateway', { redisUrl: redis.url }), {
        RATE_LIMIT_IP_PER_MINUTE: '2',
      });
    });
    afterAll(async () => {
      await gateway?.close();
      await redis?.stop();
      await stack?.close();
      await iso.cleanup();
    });

    it('fails open: requests are served without limits rather than refused', async () => {
      const http: Http = () => request(gateway.getHttpServer());
      await from(http, '192.0.2.1').expect(200);
      await from(http, '192.0.2.1').expect(200);
      await from(http, '192.0.2.1').expect(429);
      await redis.stop();
      const results = await Promise.all(Array.from({ length: 4 }, () => from(http, '192.0.2.1')));
      expect(statuses(results)).toEqual({ 200: 4 });
      expect(results[0].headers['ratelimit']).toBeUndefined();
    });
  });
});
