/**
 * The coupons benchmark's server processes, built as each main.ts builds them: `platform` runs
 * auth and the gateway (and promotion, for a benchmark that doesn't measure it); `promotion` and
 * `worker` run promotion and the coupon worker alone, as deployed.
 */
import 'reflect-metadata';
import type { PlatformConfig } from '@lib/config';
import { AmqpConnection } from '@lib/messaging';
import { createApp } from '@lib/runtime';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { readAuthSettings } from '../../apps/auth/src/auth.settings';
import { CouponWorkerModule } from '../../apps/coupon-worker/src/coupon-worker.module';
import { configureGateway } from '../../apps/gateway/src/configure-gateway';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PromotionModule } from '../../apps/promotion/src/promotion.module';

export interface CouponsBenchRun {
  mongoUri: string;
  redisUrl: string;
  rabbitUrl: string;
  dbName: string;
  prefix: string;
  signingKeyPem: string;
  admin: { username: string; password: string };
}

export const COUPONS_RUN_ENV = 'BENCH_COUPONS_RUN';

export function platformConfig(run: CouponsBenchRun, app: string, dbName = run.dbName): PlatformConfig {
  return {
    app,
    port: 0,
    mongoUri: run.mongoUri,
    mongoDb: dbName,
    redisUrl: run.redisUrl,
    rabbitUrl: run.rabbitUrl,
    namePrefix: run.prefix,
    rpcTimeoutMs: 10_000,
    rabbitQueueType: 'classic',
    corsOrigins: [],
    jwt: { issuer: 'loyalty-platform', audience: 'loyalty-api' },
    adminConsoleDir: 'dist/admin-console',
  };
}

/**
 * Starts auth and the gateway, and promotion too unless it runs in a process of its own
 * (`startPromotion`); returns the gateway's port and a stop function.
 */
export async function startPlatform(
  run: CouponsBenchRun,
  { withPromotion = true } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const authSettings = readAuthSettings({
    JWT_PRIVATE_KEY: run.signingKeyPem,
    ADMIN_USERNAME: run.admin.username,
    ADMIN_PASSWORD: run.admin.password,
    // Every benchmark member signs up from this one address: no sign-up limit here.
    RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: '1000000',
  });
  const auth = await createApp(
    AuthModule.register(platformConfig(run, 'auth', `${run.dbName}_auth`), authSettings),
    {
      rpcService: 'auth',
    },
  );
  await auth.init();
  await auth.startAllMicroservices();
  const promotion = withPromotion ? await startPromotion(run) : undefined;
  const gatewayConfig = platformConfig(run, 'gateway', `${run.dbName}_gateway`);
  // Many requests a minute from one address: limits counted, never reached.
  const gateway = await createApp(
    GatewayModule.register(gatewayConfig, {
      RATE_LIMIT_IP_PER_MINUTE: '1000000000',
      RATE_LIMIT_CALLER_PER_MINUTE: '1000000000',
    }),
    {
      configure: (a) => configureGateway(a, gatewayConfig),
    },
  );
  await gateway.listen(0, '127.0.0.1');
  await gateway.get(AmqpConnection).waitUntilConnected(30_000);
  const address = gateway.getHttpServer().address() as { port: number };
  return {
    port: address.port,
    async close() {
      await gateway.close();
      await promotion?.close();
      await auth.close();
    },
  };
}

/** Starts promotion (books, assignment, the outbox relay), as its own main.ts does. */
export async function startPromotion(run: CouponsBenchRun): Promise<{ close(): Promise<void> }> {
  const promotion = await createApp(PromotionModule.register(platformConfig(run, 'promotion'), process.env), {
    rpcService: 'promotion',
  });
  await promotion.init();
  await promotion.startAllMicroservices();
  return { close: () => promotion.close() };
}

export async function startWorker(run: CouponsBenchRun): Promise<{ close(): Promise<void> }> {
  const worker = await createApp(
    CouponWorkerModule.register(platformConfig(run, 'coupon-worker'), process.env),
  );
  await worker.init();
  await worker.get(AmqpConnection).waitUntilConnected(30_000);
  return { close: () => worker.close() };
}
