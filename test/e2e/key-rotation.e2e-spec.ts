import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeProtectedHeader } from 'jose';
import { createApp } from '@lib/runtime';
import { publicPemOf, TestIsolation } from '@lib/testing';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { readAuthSettings } from '../../apps/auth/src/auth.settings';
import { generateSigningKeyPem } from '../../apps/auth/src/keys/generate-signing-key/generate-signing-key';
import { member, PASSWORD } from '../support/identity-client';
import { startGateway } from '../support/stack';
import request from 'supertest';

async function startAuth(iso: TestIsolation, env: NodeJS.ProcessEnv): Promise<NestFastifyApplication> {
  const app = await createApp(AuthModule.register(iso.config('auth'), readAuthSettings(env)), {
    rpcService: 'auth',
  });
  await app.init();
  await app.startAllMicroservices();
  return app;
}

describe('signing-key rotation: both keys published, old tokens valid until they expire', () => {
  const iso = new TestIsolation('keyrot');
  const oldKey = generateSigningKeyPem();
  const newKey = generateSigningKeyPem();
  let gateway: NestFastifyApplication;
  let auth: NestFastifyApplication | undefined;
  const http = () => request(gateway.getHttpServer());

  beforeAll(async () => {
    auth = await startAuth(iso, { JWT_PRIVATE_KEY: oldKey });
    gateway = await startGateway(iso.config('gateway'));
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
    await iso.cleanup();
  });

  it('keeps accepting tokens of the previous key and accepts the new key’s at once', async () => {
    const before = await member(http);
    const oldKid = decodeProtectedHeader(before.accessToken).kid;
    await http().get('/v1/me').set(before.auth).expect(200);

    // Rotate as an operator does: the new key signs, the old public key stays published.
    await auth!.close();
    auth = await startAuth(iso, { JWT_PRIVATE_KEY: newKey, JWT_PREVIOUS_PUBLIC_KEYS: publicPemOf(oldKey) });

    const after = await http()
      .post('/v1/auth/login')
      .send({ username: before.username, password: PASSWORD })
      .expect(200);
    const newKid = decodeProtectedHeader(after.body.accessToken).kid;
    expect(newKid).not.toBe(oldKid);
    // The gateway has never seen the new kid: it refetches the JWKS once and verifies.
    await http().get('/v1/me').set('Authorization', `Bearer ${after.body.accessToken}`).expect(200);
    await http().get('/v1/me').set(before.auth).expect(200);

    const jwks = await http().get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid, oldKid]);
  });
});
