import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { trustProxySetting } from '@lib/config';
import { AmqpConnection, AmqpRpcServer, PassThroughRpcErrors, Topology } from '@lib/messaging';
import { JsonLogger, LOGGER, Logger, Metrics, SeparateMetricsPort, instrumentHttp } from '@lib/observability';
import { SchemaSetup } from '@lib/persistence';

export interface CreateAppOptions {
  /** Serve @MessagePattern handlers from this service's RPC queue. */
  rpcService?: string;
  /** Adjust the Fastify app before it listens (gateway: prefix, filters, docs). */
  configure?: (app: NestFastifyApplication) => Promise<void> | void;
  bodyLimitBytes?: number;
  /**
   * Run the schema step at start (default true). runMain passes MIGRATE_ON_START; false where the
   * deployment runs `main.js migrate` itself (the Helm chart's migration Job).
   */
  migrateOnStart?: boolean;
}

/**
 * Builds an app the same way everywhere: Fastify, JSON logs, request ids and HTTP metrics,
 * the explicit schema step (collections, indexes, migrations) before serving, the RPC server, and
 * graceful shutdown (stop taking work, drain, close connections) on SIGTERM.
 */
export async function createApp(
  module: Type<unknown> | DynamicModule,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // Whose X-Forwarded-For to believe for the client IP (per-IP limits): loopback unless
    // TRUST_PROXY names the ingress (Fastify's forms).
    trustProxy: trustProxySetting(process.env.TRUST_PROXY),
    // Request ids are ours (instrumentHttp), and Fastify's own request logging is replaced by metrics.
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new JsonLogger(logger));
  instrumentHttp(app.getHttpAdapter().getInstance(), app.get(Metrics), logger);

  // The schema step (collections, indexes, migrations) runs in PersistenceModule's init, which
  // listen() (or a test's init()) triggers before anything is served or consumed; or not at all.
  if (options.migrateOnStart === false) schemaSetupOf(app)?.leaveToMigrateCommand();

  if (options.rpcService) {
    const server = new AmqpRpcServer({
      service: options.rpcService,
      amqp: app.get(AmqpConnection),
      topology: app.get(Topology),
      logger,
      metrics: app.get(Metrics),
    });
    // Nest registers a hybrid app's RPC handlers as soon as it is connected, reading the global
    // filters at that moment: defer that until listen(), after the filter below is in place. The
    // app's own init() runs the lifecycle hooks; listen() must not run them a second time.
    const microservice = app.connectMicroservice<MicroserviceOptions>(
      { strategy: server },
      { deferInitialization: true },
    ) as NestMicroservice;
    microservice.useGlobalFilters(new PassThroughRpcErrors());
    microservice.setIsInitHookCalled(true);
  }
  await options.configure?.(app);
  return app;
}

/**
 * Starts serving: RPC first (so the app takes requests once ready), then HTTP, then /metrics on
 * METRICS_PORT when the app has one (closed with the app: ObservabilityModule).
 */
export async function listen(app: INestApplication, port: number): Promise<void> {
  await app.startAllMicroservices();
  await app.listen(port, '0.0.0.0');
  await app.get(SeparateMetricsPort, { strict: false }).start();
}

/** `node main.js migrate`: build indexes and apply migrations (PersistenceModule init), then exit. */
export async function runMigrateCommand(module: Type<unknown> | DynamicModule, app: string): Promise<void> {
  const ctx = await NestFactory.createApplicationContext(module, { bufferLogs: true, abortOnError: false });
  const logger = ctx.get<Logger>(LOGGER);
  ctx.useLogger(new JsonLogger(logger));
  await ctx.init();
  logger.info(`${app}: migrations done`);
  await ctx.close();
}

/** The app's SchemaSetup, if it has a database (the gateway has none). */
function schemaSetupOf(app: INestApplication): SchemaSetup | undefined {
  // Through ModuleRef: the app's own get() is wrapped by Nest (abortOnError: false), which logs a
  // missing provider as an error before rethrowing, and an app without a database (the gateway)
  // has none to find.
  try {
    return app.get(ModuleRef).get(SchemaSetup, { strict: false });
  } catch {
    return undefined;
  }
}
