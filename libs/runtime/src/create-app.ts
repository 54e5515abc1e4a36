import { DynamicModule, INestApplication, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AmqpConnection, AmqpRpcServer, PassThroughRpcErrors, Topology } from '@lib/messaging';
import { JsonLogger, LOGGER, Logger, Metrics, instrumentHttp } from '@lib/observability';
import { SchemaSetup } from '@lib/persistence';

export interface CreateAppOptions {
  /** Serve @MessagePattern handlers from this service's RPC queue. */
  rpcService?: string;
  /** Adjust the Fastify app before it listens (gateway: prefix, filters, docs). */
  configure?: (app: NestFastifyApplication) => Promise<void> | void;
  bodyLimitBytes?: number;
}

/**
 * Builds an app the same way everywhere: Fastify, JSON logs, request ids and HTTP metrics,
 * the explicit schema step (collections, indexes, migrations) before serving, the RPC server, and
 * graceful shutdown (stop taking work, drain, close connections) on SIGTERM.
 */
export async function createApp(module: Type<unknown> | DynamicModule, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    trustProxy: true,
    // Request ids are ours (instrumentHttp), and Fastify's own request logging is replaced by metrics.
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true, abortOnError: false });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new JsonLogger(logger));
  instrumentHttp(app.getHttpAdapter().getInstance(), app.get(Metrics));
  app.enableShutdownHooks();

  const setup = optional(app, SchemaSetup);
  if (setup) await setup.run((msg) => logger.info(msg));

  if (options.rpcService) {
    const server = new AmqpRpcServer({
      service: options.rpcService,
      amqp: app.get(AmqpConnection),
      topology: app.get(Topology),
      logger,
      metrics: app.get(Metrics),
    });
    const microservice = app.connectMicroservice({ strategy: server });
    microservice.useGlobalFilters(new PassThroughRpcErrors());
  }
  await options.configure?.(app);
  return app;
}

/** Starts serving: RPC first (so the app takes requests once ready), then HTTP. */
export async function listen(app: INestApplication, port: number): Promise<void> {
  await app.startAllMicroservices();
  await app.listen(port, '0.0.0.0');
}

/** `node main.js migrate`: build indexes and apply migrations, then exit. */
export async function runMigrateCommand(module: Type<unknown> | DynamicModule, app: string): Promise<void> {
  const ctx = await NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });
  const logger = ctx.get<Logger>(LOGGER);
  const setup = optional(ctx, SchemaSetup);
  if (setup) {
    const result = await setup.run((msg) => logger.info(msg));
    logger.info({ ...result }, `${app}: schema ready`);
  } else {
    logger.info(`${app}: no database, nothing to migrate`);
  }
  await ctx.close();
}

/** A provider the app may not have (the gateway has no database). */
function optional<T>(app: INestApplicationContext, token: Type<T>): T | undefined {
  try {
    return app.get(token, { strict: false });
  } catch {
    return undefined;
  }
}
