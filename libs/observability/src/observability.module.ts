import {
  Controller,
  DynamicModule,
  Get,
  Global,
  Header,
  Module,
  OnApplicationShutdown,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HealthRegistry } from './health';
import { createLogger, Logger } from './logger';
import { Metrics } from './metrics';
import { TracingHandle, startTracing } from './tracing/start-tracing';

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

/** This app's tracing (on with OTEL_EXPORTER_OTLP_ENDPOINT): flushed when the app closes. */
class AppTracing implements OnApplicationShutdown {
  constructor(private readonly handle: TracingHandle | undefined) {}
  async onApplicationShutdown(): Promise<void> {
    await this.handle?.flush().catch(() => undefined);
  }
}

export interface ObservabilityOptions {
  app: string;
  /** Off in tests that start several apps in one process. */
  collectDefaultMetrics?: boolean;
}

/**
 * Logger, metrics, tracing (see start-tracing.ts), health registry and the /health and /metrics
 * endpoints of every app.
 */
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
        { provide: AppTracing, useFactory: () => new AppTracing(startTracing(options.app)) },
      ],
      exports: [LOGGER, Metrics, HealthRegistry],
    };
  }
}

export type { Logger };
