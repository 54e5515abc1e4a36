/**
 * The codes-export benchmark's server processes, built as each main.ts builds them: `services`
 * runs auth and promotion; `gateway` runs the gateway alone, so its memory is its own and can be
 * measured apart from promotion's (the export streams through it).
 */
import 'reflect-metadata';
import { AmqpConnection } from '@lib/messaging';
import { createApp } from '@lib/runtime';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { readAuthSettings } from '../../apps/auth/src/auth.settings';
import { configureGateway } from '../../apps/gateway/src/configure-gateway';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PromotionModule } from '../../apps/promotion/src/promotion.module';
import { platformConfig, type CouponsBenchRun } from './coupons-platform';

export interface Server {
  port: number;
  close(): Promise<void>;
}

/** Auth and promotion, RPC only. */
export async function startServices(run: CouponsBenchRun): Promise<Server> {
  const authSettings = readAuthSettings({
    JWT_PRIVATE_KEY: run.signingKeyPem,
    ADMIN_USERNAME: run.admin.username,
    ADMIN_PASSWORD: run.admin.password,
  });
  const auth = await createApp(
    AuthModule.register(platformConfig(run, 'auth', `${run.dbName}_auth`), authSettings),
    { rpcService: 'auth' },
  );
  await auth.init();
  await auth.startAllMicroservices();
  const promotion = await createApp(PromotionModule.register(platformConfig(run, 'promotion'), process.env), {
    rpcService: 'promotion',
  });
  await promotion.init();
  await promotion.startAllMicroservices();
  return {
    port: 0,
    async close() {
      await promotion.close();
      await auth.close();
    },
  };
}

/** The gateway, listening on a free port of 127.0.0.1. */
export async function startGateway(run: CouponsBenchRun): Promise<Server> {
  const config = platformConfig(run, 'gateway', `${run.dbName}_gateway`);
  const gateway = await createApp(
    GatewayModule.register(config, {
      RATE_LIMIT_IP_PER_MINUTE: '1000000000',
      RATE_LIMIT_CALLER_PER_MINUTE: '1000000000',
    }),
    { configure: (a) => configureGateway(a, config) },
  );
  await gateway.listen(0, '127.0.0.1');
  await gateway.get(AmqpConnection).waitUntilConnected(30_000);
  const address = gateway.getHttpServer().address() as { port: number };
  return { port: address.port, close: () => gateway.close() };
}
