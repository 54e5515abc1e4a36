import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { PlatformConfig } from '@lib/config';
import { createApp } from '@lib/runtime';
import { TestIsolation, waitFor } from '@lib/testing';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { AuthSettings } from '../../apps/auth/src/auth-settings';
import { testAuthSettings } from '../../apps/auth/src/testing/test-auth-settings';
import { configureGateway } from '../../apps/gateway/src/configure-gateway';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';

export interface IdentityStack {
  gateway: NestFastifyApplication;
  auth: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  settings: AuthSettings;
  close(): Promise<void>;
}

/**
 * The real auth service and gateway in this process, on this test file's own database, queues and
 * Redis keys, talking over the real RabbitMQ exactly as deployed apps do.
 */
export async function startIdentityStack(
  iso: TestIsolation,
  options: {
    auth?: Partial<PlatformConfig>;
    gateway?: Partial<PlatformConfig>;
    authEnv?: NodeJS.ProcessEnv;
  } = {},
): Promise<IdentityStack> {
  const settings = testAuthSettings(options.authEnv);
  const auth = await createApp(AuthModule.register(iso.config('auth', options.auth), settings), {
    rpcService: 'auth',
  });
  await auth.init();
  await auth.startAllMicroservices();
  const gateway = await startGateway(iso.config('gateway', options.gateway));
  const http = () => request(gateway.getHttpServer());
  await waitFor(
    'the gateway to reach auth',
    async () => (await http().get('/.well-known/jwks.json')).status === 200,
  );
  return {
    gateway,
    auth,
    http,
    settings,
    async close() {
      await gateway.close();
      await auth.close();
    },
  };
}

export async function startGateway(config: PlatformConfig): Promise<NestFastifyApplication> {
  const app = await createApp(GatewayModule.register(config), {
    configure: (a) => configureGateway(a, config),
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  // As a load balancer would: no traffic before the readiness probe passes (broker connected).
  await waitFor(
    'the gateway to be ready',
    async () => (await request(app.getHttpServer()).get('/health/ready')).status === 200,
  );
  return app;
}
