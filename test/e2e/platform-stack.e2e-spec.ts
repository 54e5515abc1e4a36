import { TestIsolation } from '@lib/testing';
import { ADMIN_ENV, admin } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';

describe('the whole platform in one process', () => {
  const iso = new TestIsolation('platform-stack');
  let stack: PlatformStack;

  beforeAll(async () => {
    stack = await startPlatformStack(iso, {
      services: ['loyalty', 'promotion', 'coupon-worker'],
      authEnv: ADMIN_ENV,
    });
  });
  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  it('starts every service, and the admin can sign in through the gateway', async () => {
    const { auth } = await admin(stack.http);
    const me = await stack.http().get('/v1/me').set(auth).expect(200);
    expect(me.body.roles).toContain('admin');
    expect(Object.keys(stack.services).sort()).toEqual(['coupon-worker', 'loyalty', 'promotion']);
  });
});
