import { createPrivateKey } from 'node:crypto';
import { RPC } from '@lib/contracts';
import { RpcClient } from '@lib/messaging';
import { forgedTokens, publicPemOf, TestIsolation, TOKEN_ATTACKS } from '@lib/testing';
import { member } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

const ATTACKS = TOKEN_ATTACKS;

describe('token attacks: refused by the gateway and, behind it, by the service (real RS256 keys)', () => {
  const iso = new TestIsolation('tokatk');
  let stack: IdentityStack;
  let attacks: Record<string, string>;
  let genuine: string;

  beforeAll(async () => {
    stack = await startIdentityStack(iso);
    genuine = (await member(stack.http)).accessToken;
    attacks = await forgedTokens(genuine, {
      publicKeyPem: publicPemOf(stack.settings.signingKeyPem),
      signingKey: createPrivateKey(stack.settings.signingKeyPem),
    });
  });

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  it('accepts the genuine token (the forgeries below start from it)', async () => {
    await stack.http().get('/v1/me').set('Authorization', `Bearer ${genuine}`).expect(200);
  });

  it.each(ATTACKS)('gateway: %s → 401 UNAUTHENTICATED', async (attack) => {
    const res = await stack.http().get('/v1/me').set('Authorization', `Bearer ${attacks[attack]}`);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it.each(ATTACKS)(
    'service (auth, called over RPC past the gateway): %s → UNAUTHENTICATED',
    async (attack) => {
      const rpc = stack.gateway.get(RpcClient);
      await expect(
        rpc.send('auth', RPC.auth.me, { caller: { accessToken: attacks[attack] } }),
      ).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    },
  );
});
