import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { LOGGER, Logger } from '@lib/observability';
import { ConfigError } from '@lib/config';
import { CreateAppOptions, createApp, listen, runMigrateCommand } from './create-app';

/**
 * The body of every app's main.ts: `migrate` runs the schema step and exits; otherwise the app
 * serves on its port. Boot failures print one clear line and exit non-zero.
 */
export function runMain(
  name: string,
  moduleFactory: () => Type<unknown> | DynamicModule,
  port: () => number,
  options?: CreateAppOptions & {
    /** What `migrate` boots instead of the whole app: its schemas only, without its secrets. */
    migrationModule?: () => Type<unknown> | DynamicModule;
  },
) {
  const main = async () => {
    if (process.argv.includes('migrate')) {
      return runMigrateCommand((options?.migrationModule ?? moduleFactory)(), name);
    }
    const module = moduleFactory();
    const app = await createApp(module, options);
    stopOnSignals(name, app);
    await listen(app, port());
  };
  main().catch((err: unknown) => {
    const message =
      err instanceof ConfigError
        ? err.message
        : `${name} failed to start: ${err instanceof Error ? err.stack : String(err)}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  });
}

/** Kubernetes gives terminationGracePeriodSeconds (30 s by default) before SIGKILL. */
const SHUTDOWN_TIMEOUT_MS = 25_000;

/**
 * SIGTERM / SIGINT: stop taking work, drain (in-flight RPCs and events finish and are acked),
 * close connections, and exit 0; exit 1 if that takes longer than the grace period allows.
 */
function stopOnSignals(name: string, app: INestApplication): void {
  const logger = app.get<Logger>(LOGGER);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${name}: shutting down (draining in-flight work)`);
    const timer = setTimeout(() => {
      logger.error(`${name}: shutdown took over ${SHUTDOWN_TIMEOUT_MS} ms; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    app.close().then(
      () => {
        logger.info(`${name}: stopped cleanly`);
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err: String(err) }, `${name}: error while shutting down`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
