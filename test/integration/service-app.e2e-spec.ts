import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mongoose from 'mongoose';
import request from 'supertest';
import { RPC } from '@lib/contracts';
import { RpcClient } from '@lib/messaging';
import { createApp, runMigrateCommand } from '@lib/runtime';
import { TestIsolation, waitFor } from '@lib/testing';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { testAuthSettings } from '../support/auth/test-auth-settings';

describe('a service app (auth shell): schema step, health, RPC, shutdown (real infrastructure)', () => {
  const iso = new TestIsolation('svc');
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createApp(AuthModule.register(iso.config('auth'), testAuthSettings()), {
      rpcService: 'auth',
    });
    await app.init();
    await app.startAllMicroservices();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await iso.cleanup();
  });

  it('builds its collections and indexes explicitly at startup (autoIndex is off)', async () => {
    const conn = await mongoose.createConnection(iso.infra.mongoUri, { dbName: iso.dbName }).asPromise();
    try {
      const outboxIndexes = await conn.collection('outbox').indexes();
      expect(outboxIndexes.map((i) => i.key)).toEqual(
        expect.arrayContaining([{ status: 1, availableAt: 1, createdAt: 1 }, { sentAt: 1 }]),
      );
      const collections = (await conn.listCollections()).map((c) => c.name);
      expect(collections).toEqual(expect.arrayContaining(['outbox', 'processed_events']));
    } finally {
      await conn.close();
    }
  });

  it('is ready when MongoDB has a writable primary and Redis and RabbitMQ answer', async () => {
    const res = await waitFor('readiness', async () => {
      const r = await request(app.getHttpServer()).get('/health/ready');
      return r.status === 200 ? r : undefined;
    });
    expect(res.body).toEqual({
      status: 'ok',
      checks: { mongodb: 'up', redis: 'up', rabbitmq: 'up', 'token-revocations': 'up' },
    });
    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toContain('app="auth"');
  });

  it('answers RPC on its queue', async () => {
    const client = app.get(RpcClient);
    await expect(client.send('auth', RPC.auth.ping, {})).resolves.toMatchObject({ service: 'auth' });
  });

  it("returns a handler's domain error over RPC with its code, not as an internal error", async () => {
    const client = app.get(RpcClient);
    await expect(client.send('auth', RPC.auth.me, { caller: {} })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('runs the migrate command (no secrets needed) against a fresh database and exits cleanly', async () => {
    const dbName = iso.database('migrate');
    // The migrate command boots auth's schemas only: no signing key, no admin credentials.
    await runMigrateCommand(AuthModule.migrations(iso.config('auth', { mongoDb: dbName })), 'auth');
    const conn = await mongoose.createConnection(iso.infra.mongoUri, { dbName }).asPromise();
    try {
      const names = (await conn.collection('outbox').indexes()).map((i) => i.name);
      expect(names).toEqual(expect.arrayContaining(['status_1_availableAt_1_createdAt_1', 'sentAt_1']));
      const userIndexes = (await conn.collection('users').indexes()).map((i) => i.name);
      expect(userIndexes).toEqual(expect.arrayContaining(['username_1', 'email_1']));
    } finally {
      await conn.close();
    }
  });

  it('shuts down cleanly: stops serving, drains, closes its connections', async () => {
    const client = app.get(RpcClient);
    await app.close();
    await expect(client.send('auth', RPC.auth.ping, {})).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });
});
