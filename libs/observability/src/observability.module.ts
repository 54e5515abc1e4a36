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
import { MetricsServer } from './metrics-server';
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

/**
 * The server of METRICS_PORT, when the app has one. The app's `listen` starts it (libs/runtime),
 * not its init: `main.js migrate` and tests that only init an app open no port. Closed with the
 * app, after the drain (scrapes still see the drain's last figures).
 */
export class SeparateMetricsPort implements OnApplicationShutdown {
  private server?: MetricsServer;

  constructor(
    /** Undefined: /metrics is served on the app's own port (MetricsController). */
    readonly port: number | undefined,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  /** Listens on METRICS_PORT (once); without one, does nothing. */
  async start(): Promise<void> {
    if (this.port === undefined || this.server) return;
    const server = new MetricsServer(this.metrics, this.logger);
    await server.listen(this.port);
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
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
  /** METRICS_PORT: serve /metrics there alone, not on the app's port. Unset: on the app's port. */
  metricsPort?: number;
}

/**
 * Logger, metrics, tracing (see start-tracing.ts), health registry and the /health and /metrics
 * endpoints of every app: /health on the app's port (the kubelet's probes), /metrics there too or,
 * with a metricsPort, on that port only.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers:
        options.metricsPort === undefined ? [HealthController, MetricsController] : [HealthController],
      providers: [
        { provide: LOGGER, useFactory: () => createLogger(options.app) },
        {
          provide: Metrics,
          useFactory: () => new Metrics(options.app, options.collectDefaultMetrics ?? true),
        },
        HealthRegistry,
        {
          provide: SeparateMetricsPort,
          useFactory: (metrics: Metrics, logger: Logger) =>
            new SeparateMetricsPort(options.metricsPort, metrics, logger),
          inject: [Metrics, LOGGER],
        },
        { provide: AppTracing, useFactory: () => new AppTracing(startTracing(options.app)) },
      ],
      exports: [LOGGER, Metrics, HealthRegistry, SeparateMetricsPort],
    };
  }
}

export type { Logger };
