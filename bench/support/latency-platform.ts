/**
 * The latency benchmark's server processes: gateway, auth, loyalty and promotion, each built as
 * its main.ts builds it (the identity benchmark's starters for auth and the gateway; loyalty and
 * promotion here, to know their ports), each in a process of its own and, as deployed, on a
 * database of its own. Every one reports its HTTP port, where its /metrics is served.
 */
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AmqpConnection } from '@lib/messaging';
import { createApp } from '@lib/runtime';
import { LoyaltyModule } from '../../apps/loyalty/src/loyalty.module';
import { PromotionModule } from '../../apps/promotion/src/promotion.module';
import { BenchConfig, RunningServer, platformConfig, readBenchConfig } from './identity-config';

export const LATENCY_ROLES = ['auth', 'loyalty', 'promotion', 'gateway'] as const;
export type LatencyRole = (typeof LATENCY_ROLES)[number];

export type ToServer = { type: 'cpu' } | { type: 'stop' };
export type FromServer = { type: 'ready'; port: number } | { type: 'cpu'; usage: NodeJS.CpuUsage };

/** Each service's own database (`<run>_auth`, `<run>_loyalty`...), as in production. */
export function databaseOf(config: BenchConfig, role: LatencyRole): string {
  return `${config.dbName}_${role}`;
}

/** As @lib/runtime's listen(), on loopback and a free port, which is reported: /metrics is there. */
async function serve(app: NestFastifyApplication): Promise<RunningServer> {
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  await app.get(AmqpConnection).waitUntilConnected(30_000);
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return { port: address.port, close: () => app.close() };
}

/** As support/points-platform.ts's (earn rate 1), with its port. */
async function startLoyalty(config: BenchConfig): Promise<RunningServer> {
  const module = LoyaltyModule.register(platformConfig(config, 'loyalty'), { LOYALTY_EARN_RATE: '1' });
  return serve(await createApp(module, { rpcService: 'loyalty' }));
}

async function startPromotion(config: BenchConfig): Promise<RunningServer> {
  const module = PromotionModule.register(platformConfig(config, 'promotion'), process.env);
  return serve(await createApp(module, { rpcService: 'promotion' }));
}

async function start(role: LatencyRole, config: BenchConfig): Promise<RunningServer> {
  switch (role) {
    case 'auth':
      return (await import('./identity-platform')).startAuth(config);
    case 'gateway':
      return (await import('./identity-platform')).startGateway(config);
    case 'loyalty':
      return startLoyalty(config);
    case 'promotion':
      return startPromotion(config);
  }
}

/** In a server role's process: start it, report its port, answer CPU samples, stop on request. */
export async function serveRole(role: LatencyRole): Promise<void> {
  process.on('disconnect', () => process.exit(1)); // the coordinator is gone
  const config = readBenchConfig();
  const server = await start(role, { ...config, dbName: databaseOf(config, role) });
  process.on('message', (msg: ToServer) => {
    if (msg.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() } satisfies FromServer);
    if (msg.type === 'stop') void server.close().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', port: server.port } satisfies FromServer);
}
