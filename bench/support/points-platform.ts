/** The points benchmark's loyalty process: the real service, built as its main.ts builds it. */
import 'reflect-metadata';
import { AmqpConnection } from '@lib/messaging';
import { createApp } from '@lib/runtime';
import { LoyaltyModule } from '../../apps/loyalty/src/loyalty.module';
import { BenchConfig, RunningServer, platformConfig } from './identity-config';

export async function startLoyalty(config: BenchConfig): Promise<RunningServer> {
  const app = await createApp(
    LoyaltyModule.register(platformConfig(config, 'loyalty'), { LOYALTY_EARN_RATE: '1' }),
    {
      rpcService: 'loyalty',
    },
  );
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  await app.get(AmqpConnection).waitUntilConnected(30_000);
  return { port: 0, close: () => app.close() };
}
