import { Controller, DynamicModule, Get, Global, Header, Module, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HealthRegistry } from './health';
import { createLogger, Logger } from './logger';
import { Metrics } from './metrics';

export const LOGGER = Symbol('LOGGER');

@ApiExcludeController()
@Controller()
class HealthController {
  constructor(private readonly health: HealthRegistry) {}

  /** Live while the process can answer: restarting it would not help anything else. */
  @Get('health/live')
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready only when every dependency this app needs answers (Mongo primary, Redis, broker). */
  @Get('health/ready')
  @Header('Cache-Control', 'no-store')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.health.readiness();
    if (report.status !== 'ok') void reply.status(503);
    return report;
  }
}

@ApiExcludeController()
@Controller()
class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('Content-Type', this.metrics.contentType);
    return this.metrics.render();
  }
}

export interface ObservabilityOptions {
  app: string;
  /** Off in tests that start several apps in one process. */
  collectDefaultMetrics?: boolean;
}

/** Logger, metrics, health registry and the /health and /metrics endpoints of every app. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: LOGGER, useFactory: () => createLogger(options.app) },
        {
          provide: Metrics,
          useFactory: () => new Metrics(options.app, options.collectDefaultMetrics ?? true),
        },
        HealthRegistry,
      ],
      exports: [LOGGER, Metrics, HealthRegistry],
    };
  }
}

export type { Logger };
