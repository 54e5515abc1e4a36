import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError } from '@lib/config';
import { createApp } from '@lib/runtime';
import { TestIsolation } from '@lib/testing';
import { ADMIN_ENV, admin, member, PASSWORD, TEST_ADMIN } from '../support/identity-client';
import { testAuthSettings } from '../support/auth/test-auth-settings';
import { IdentityStack, startIdentityStack } from '../support/stack';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { UsersRepository } from '../../apps/auth/src/users/ports/users.repository';

describe('admin bootstrap (ADMIN_USERNAME / ADMIN_PASSWORD at start)', () => {
  const iso = new TestIsolation('adminboot');
  let stack: IdentityStack;
  const login = (username: string, password: string) =>
    stack.http().post('/v1/auth/login').send({ username, password });

  /** A second auth app on the same database, started with `env`: its init runs the bootstrap. */
  async function startAuth(env: NodeJS.ProcessEnv): Promise<NestFastifyApplication> {
    return createApp(AuthModule.register(iso.config('auth'), testAuthSettings(env)), { rpcService: 'auth' });
  }

  beforeAll(async () => {
    stack = await startIdentityStack(iso, { authEnv: ADMIN_ENV });
  });
  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  it('creates the admin account when it is missing', async () => {
    const chief = await admin(stack.http);
    const me = await stack.http().get('/v1/me').set(chief.auth).expect(200);
    expect(me.body).toMatchObject({ username: TEST_ADMIN.username, roles: ['member', 'admin'] });
  });

  it('leaves an existing admin alone: a restart with another ADMIN_PASSWORD does not reset it', async () => {
    const app = await startAuth({ ...ADMIN_ENV, ADMIN_PASSWORD: 'a-different-password' });
    try {
      await app.init();
    } finally {
      await app.close();
    }
    await login(TEST_ADMIN.username, TEST_ADMIN.password).expect(200);
    await login(TEST_ADMIN.username, 'a-different-password').expect(401);
  });

  it('refuses to start when ADMIN_USERNAME names a non-admin, saying what to do, and promotes nobody', async () => {
    const holder = await member(stack.http);
    const app = await startAuth({ ADMIN_USERNAME: holder.username, ADMIN_PASSWORD: 'attacker-chosen-pw' });
    try {
      const started = app.init();
      await expect(started).rejects.toThrow(ConfigError);
      await expect(started).rejects.toThrow(
        new RegExp(
          `ADMIN_USERNAME=${holder.username.replace(/\./g, '\\.')} belongs to an existing account that is not an admin.*Choose another ADMIN_USERNAME.*admin role deliberately`,
        ),
      );
    } finally {
      await app.close();
    }

    const user = await stack.auth.get(UsersRepository).findByUsername(holder.username);
    expect(user?.roles).toEqual(['member']);
    const me = await stack.http().get('/v1/me').set(holder.auth).expect(200);
    expect(me.body.roles).toEqual(['member']);
    await login(holder.username, PASSWORD).expect(200);
    await login(holder.username, 'attacker-chosen-pw').expect(401);
  });
});
