import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { platformModules } from '@lib/runtime';

/**
 * The public HTTP API. HTTP only: it validates, authenticates and forwards to the services over
 * RPC; no business rule lives here. Area controllers arrive with their issues.
 */
@Module({})
export class GatewayModule {
  static register(config: PlatformConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: platformModules(config, { redis: true }),
    };
  }
}
