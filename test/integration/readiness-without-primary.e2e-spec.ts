import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { createApp } from '@lib/runtime';
import { TestIsolation, waitFor } from '@lib/testing';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { testAuthSettings } from '../support/auth/test-auth-settings';

/** A mongod of this test's own (scripts/private-mongod.mjs), so stepping it down disturbs no other file. */
async function privateMongo(): Promise<{ uri: string; child: ChildProcessWithoutNullStreams }> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'scripts', 'private-mongod.mjs')]);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const uri = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const line = /MONGODB_URI=(\S+)/.exec(d.toString());
      if (line) resolve(line[1]);
    });
    child.on('exit', (code) => reject(new Error(`private mongod exited (${code}): ${stderr}`)));
  });
  return { uri, child };
}

describe('readiness follows the MongoDB primary (a private replica set, stepped down)', () => {
  const iso = new TestIsolation('noprimary');
  let mongo: { uri: string; child: ChildProcessWithoutNullStreams };
  let app: NestFastifyApplication;

  beforeAll(async () => {
    mongo = await privateMongo();
    app = await createApp(
      AuthModule.register(iso.config('auth', { mongoUri: mongo.uri }), testAuthSettings()),
    );
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  }, 120000);

  afterAll(async () => {
    await app?.close();
    await new Promise<void>((resolve) => {
      mongo.child.on('exit', () => resolve());
      mongo.child.stdin.end();
    });
    await iso.cleanup();
  }, 60000);

  it('is not ready while there is no writable primary, and ready again once one is elected', async () => {
    const ready = () => request(app.getHttpServer()).get('/health/ready');
    await waitFor('ready with a primary', async () => (await ready()).status === 200);

    const admin = new MongoClient(mongo.uri.replace('replicaSet=rs0', 'directConnection=true'));
    await admin.connect();
    try {
      // Force the only member to secondary for 5 s: no node accepts writes meanwhile.
      await admin.db('admin').command({ replSetStepDown: 5, force: true });
      const down = await ready();
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'unavailable', checks: { mongodb: 'down' } });
      await request(app.getHttpServer()).get('/health/live').expect(200);

      const back = await waitFor(
        'a new primary',
        async () => {
          const r = await ready();
          return r.status === 200 ? r : undefined;
        },
        30000,
        250,
      );
      expect(back.body.checks.mongodb).toBe('up');
    } finally {
      await admin.close();
    }
  }, 60000);
});
