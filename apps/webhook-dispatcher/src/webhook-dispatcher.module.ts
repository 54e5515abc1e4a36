import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { RPC } from '@lib/contracts';
import { JwtModule } from '@lib/jwt';
import { pingRpcController, platformModules } from '@lib/runtime';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * The webhook dispatcher: admins' endpoints, and the delivery of every service's domain events to
 * them, signed, retried and logged, in its own database. A separate app so that slow receivers
 * never hold a service's resources, and so that it scales on its own.
 */
@Module({})
export class WebhookDispatcherModule {
  /** `migrate`: the endpoints, deliveries and outbox collections and indexes; no secrets. */
  static migrations(config: PlatformConfig): DynamicModule {
    return {
      module: WebhookDispatcherModule,
      imports: [...platformModules(config, { mongo: true, outbox: true }), WebhooksModule.collections()],
    };
  }

  // `env` carries the dispatcher's own settings (read from process.env in production; tests pass theirs).
  static register(config: PlatformConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: WebhookDispatcherModule,
      imports: [
        ...platformModules(config, { mongo: true, outbox: true }),
        JwtModule.forRoot(config.jwt),
        WebhooksModule.register(env),
      ],
      controllers: [pingRpcController('webhooks', RPC.webhooks.ping)],
    };
  }
}
