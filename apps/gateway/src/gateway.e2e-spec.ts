import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { PlatformConfig } from '@lib/config';
import { createApp } from '@lib/runtime';
import { TestIsolation } from '@lib/testing';
import { IdentityStack, startIdentityStack } from '../../../test/support/stack';
import { configureGateway } from './configure-gateway';
import { GatewayModule } from './gateway.module';

async function startGateway(config: PlatformConfig): Promise<NestFastifyApplication> {
  const app = await createApp(GatewayModule.register(config), {
    configure: (a) => configureGateway(a, config),
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('gateway: health, metrics, docs, errors and headers (real Redis and RabbitMQ)', () => {
  const iso = new TestIsolation('gateway');
  // With auth: the gateway is ready once it has read auth's token revocations too.
  let stack: IdentityStack;
  const http = () => stack.http();

  beforeAll(async () => {
    stack = await startIdentityStack(iso, { gateway: { corsOrigins: ['https://shop.example'] } });
  });

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  it('is live, and ready once Redis, RabbitMQ and the token revocation list (from auth) answer', async () => {
    await http().get('/health/live').expect(200, { status: 'ok' });
    const ready = await http().get('/health/ready').expect(200);
    expect(ready.body).toEqual({
      status: 'ok',
      checks: { rabbitmq: 'up', redis: 'up', 'token-revocations': 'up' },
    });
  });

  it('serves Prometheus metrics with the HTTP latency histogram by route template', async () => {
    await http().get('/health/live');
    const res = await http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",app="gateway",method="GET",route="\/health\/live",status="200"\}/,
    );
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  it('serves the OpenAPI document and the docs UI', async () => {
    const doc = await http().get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.info.title).toBe('Loyalty platform API');
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ui = await http().get('/docs').expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('answers an unknown route with problem+json 404, never HTML', async () => {
    const res = await http().get('/v1/no-such-thing').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND', title: 'Not found' });
    expect(res.body.type).toMatch(/^https:\/\//);
  });

  it('answers a malformed JSON body with problem+json 400', async () => {
    const res = await http()
      .post('/v1/no-such-thing')
      .set('content-type', 'application/json')
      .send('{"broken":')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('echoes a sane request id, replaces an unsafe one, and makes one up when absent', async () => {
    const given = await http().get('/health/live').set('x-request-id', 'client-req-7');
    expect(given.headers['x-request-id']).toBe('client-req-7');
    const unsafe = await http().get('/health/live').set('x-request-id', 'bad id\twith spaces');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const none = await http().get('/health/live');
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers (helmet) and allows only configured CORS origins', async () => {
    const res = await http().get('/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    const allowed = await http()
      .options('/v1/me')
      .set('origin', 'https://shop.example')
      .set('access-control-request-method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    const refused = await http()
      .options('/v1/me')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'GET');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reports not ready, naming the dependency, while Redis is unreachable', async () => {
    const broken = await startGateway(iso.config('gateway', { redisUrl: 'redis://127.0.0.1:1' }));
    try {
      const res = await request(broken.getHttpServer()).get('/health/ready').expect(503);
      expect(res.body).toMatchObject({ status: 'unavailable', checks: { redis: 'down' } });
      await request(broken.getHttpServer()).get('/health/live').expect(200);
    } finally {
      await broken.close();
    }
  });
});
