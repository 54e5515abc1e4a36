import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { PlatformConfig } from '@lib/config';
import { AmqpConnection } from '@lib/messaging';
import { createApp } from '@lib/runtime';
import { TestIsolation, waitFor } from '@lib/testing';
import { AUDIT_CONSUMER } from '../../apps/auth/src/audit/append-audit-entry/append-audit-entry.consumer';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { NOTIFICATIONS_CONSUMER } from '../../apps/auth/src/notifications/send-notifications/send-notifications.consumer';
import { AuthSettings } from '../../apps/auth/src/auth.settings';
import { testAuthSettings } from './auth/test-auth-settings';
import { CouponWorkerModule } from '../../apps/coupon-worker/src/coupon-worker.module';
import { GENERATION_CONSUMER } from '../../apps/coupon-worker/src/generation/run-generation/run-generation.consumer';
import { configureGateway } from '../../apps/gateway/src/configure-gateway';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { LoyaltyModule } from '../../apps/loyalty/src/loyalty.module';
import { FIRST_LOGIN_CONSUMER } from '../../apps/promotion/src/campaigns/issue-vouchers/issue-vouchers.consumer';
import { PromotionModule } from '../../apps/promotion/src/promotion.module';
import { DISPATCH_CONSUMER } from '../../apps/webhook-dispatcher/src/webhooks/dispatch-events/dispatch-events.consumer';
import { WebhookDispatcherModule } from '../../apps/webhook-dispatcher/src/webhook-dispatcher.module';

/** The consumer queues each app declares: this test file's, so cleanup removes them and their DLQs. */
const CONSUMER_QUEUES = {
  auth: [AUDIT_CONSUMER, NOTIFICATIONS_CONSUMER],
  promotion: [FIRST_LOGIN_CONSUMER],
  'coupon-worker': [GENERATION_CONSUMER],
  loyalty: [],
  'webhook-dispatcher': [DISPATCH_CONSUMER],
} as const;

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
    /** The gateway's own settings (rate limits); TEST_GATEWAY_ENV's high limits by default. */
    gatewayEnv?: NodeJS.ProcessEnv;
    authEnv?: NodeJS.ProcessEnv;
  } = {},
): Promise<IdentityStack> {
  for (const queue of CONSUMER_QUEUES.auth) iso.queue(queue);
  const settings = testAuthSettings(options.authEnv);
  const auth = await createApp(AuthModule.register(iso.config('auth', options.auth), settings), {
    rpcService: 'auth',
  });
  await auth.init();
  await auth.startAllMicroservices();
  const gateway = await startGateway(iso.config('gateway', options.gateway), options.gatewayEnv);
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

export type ServiceName = 'loyalty' | 'promotion' | 'coupon-worker' | 'webhook-dispatcher';

export interface PlatformStack extends IdentityStack {
  services: Partial<Record<ServiceName, NestFastifyApplication>>;
}

/**
 * Auth, the gateway and the named services, all in this process on this test file's own
 * database, queues and Redis keys. `env` holds each service's own settings (earn rate, SMTP...).
 */
export async function startPlatformStack(
  iso: TestIsolation,
  options: {
    services: ServiceName[];
    env?: Partial<Record<ServiceName, NodeJS.ProcessEnv>>;
    config?: Partial<Record<ServiceName, Partial<PlatformConfig>>>;
    auth?: Partial<PlatformConfig>;
    gateway?: Partial<PlatformConfig>;
    gatewayEnv?: NodeJS.ProcessEnv;
    authEnv?: NodeJS.ProcessEnv;
  },
): Promise<PlatformStack> {
  const services: PlatformStack['services'] = {};
  try {
    for (const name of options.services) {
      services[name] = await startService(iso, name, options.env?.[name] ?? {}, options.config?.[name]);
    }
    const identity = await startIdentityStack(iso, options);
    return {
      ...identity,
      services,
      async close() {
        await identity.close();
        await closeServices(services);
      },
    };
  } catch (err) {
    await closeServices(services);
    throw err;
  }
}

/** The database `startService` gives a service in this test file (dropped by cleanup). */
export function serviceDatabase(iso: TestIsolation, name: ServiceName): string {
  return iso.database(name === 'coupon-worker' ? 'promotion' : name);
}

const SERVICE_MODULES = {
  loyalty: LoyaltyModule.register,
  promotion: PromotionModule.register,
  'coupon-worker': CouponWorkerModule.register,
  'webhook-dispatcher': WebhookDispatcherModule.register,
} as const;

/** One service app with its RPC server (if it has one) and consumers, started like main.ts does. */
export async function startService(
  iso: TestIsolation,
  name: ServiceName,
  env: NodeJS.ProcessEnv = {},
  config: Partial<PlatformConfig> = {},
): Promise<NestFastifyApplication> {
  for (const queue of CONSUMER_QUEUES[name]) iso.queue(queue);
  // Its own database, as deployed (the worker shares promotion's: it writes promotion's codes).
  const platform = iso.config(name, { mongoDb: serviceDatabase(iso, name), ...config });
  const app = await createApp(SERVICE_MODULES[name](platform, env), {
    rpcService: name === 'coupon-worker' ? undefined : name === 'webhook-dispatcher' ? 'webhooks' : name,
  });
  await app.init();
  await app.startAllMicroservices();
  // Its RPC server and consumers work once the broker connection is open (slower on a loaded machine).
  await app.get(AmqpConnection).waitUntilConnected(30_000);
  return app;
}

async function closeServices(services: PlatformStack['services']): Promise<void> {
  for (const app of Object.values(services)) await app?.close();
}

/**
 * Tests send far more than a client's per-minute budget from one address; a test of the limits
 * passes its own.
 */
export const TEST_GATEWAY_ENV: NodeJS.ProcessEnv = {
  RATE_LIMIT_IP_PER_MINUTE: '1000000000',
  RATE_LIMIT_CALLER_PER_MINUTE: '1000000000',
};

export async function startGateway(
  config: PlatformConfig,
  env: NodeJS.ProcessEnv = TEST_GATEWAY_ENV,
): Promise<NestFastifyApplication> {
  const app = await createApp(GatewayModule.register(config, env), {
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
