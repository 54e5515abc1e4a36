/**
 * The identity benchmark's platform side: the real auth service and gateway, built exactly as
 * their main.ts does (createApp with the production modules and configuration code), each in its
 * own process, talking over the real RabbitMQ, MongoDB and Redis.
 */
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwksCache } from '@lib/jwt';
import { AmqpConnection } from '@lib/messaging';
import { createApp } from '@lib/runtime';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { readAuthSettings } from '../../apps/auth/src/auth.settings';
import { configureGateway } from '../../apps/gateway/src/configure-gateway';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { BenchConfig, RunningServer, platformConfig } from './identity-config';

async function serve(app: NestFastifyApplication): Promise<RunningServer> {
  // As @lib/runtime's listen(), on loopback and a free port.
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  await app.get(AmqpConnection).waitUntilConnected(30_000);
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return { port: address.port, close: () => app.close() };
}

export async function startAuth(config: BenchConfig): Promise<RunningServer> {
  const settings = readAuthSettings({
    JWT_PRIVATE_KEY: config.signingKeyPem,
    // The failed-login figures send thousands of failures from one address: no 429s here.
    LOGIN_MAX_FAILURES_PER_IP: '10000000',
    LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '1000000',
    RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: '1000000',
    // API clients' tokens (the points run's till) outlast any run, however many rounds.
    CLIENT_TOKEN_TTL_SECONDS: '86400',
    ...(config.admin ? { ADMIN_USERNAME: config.admin.username, ADMIN_PASSWORD: config.admin.password } : {}),
  });
  const app = await createApp(AuthModule.register(platformConfig(config, 'auth'), settings), {
    rpcService: 'auth',
  });
  return serve(app);
}

/** Ready once it has auth's public keys (one RPC to auth), as the first `GET /v1/me` needs them. */
export async function startGateway(config: BenchConfig): Promise<RunningServer> {
  const gatewayConfig = platformConfig(config, 'gateway');
  // Thousands of requests a second from one address and one user: the limits are counted (their
  // Redis round trip is part of the figures) but never reached.
  const app = await createApp(
    GatewayModule.register(gatewayConfig, {
      RATE_LIMIT_IP_PER_MINUTE: '1000000000',
      RATE_LIMIT_CALLER_PER_MINUTE: '1000000000',
    }),
    {
      configure: (a) => configureGateway(a, gatewayConfig),
    },
  );
  const server = await serve(app);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await app.get(JwksCache).keySet();
      return server;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
