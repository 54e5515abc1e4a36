import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { LOGGER, Logger } from '@lib/observability';
import { ConfigError, EnvReader } from '@lib/config';
import { CreateAppOptions, createApp, listen, runMigrateCommand } from './create-app';
import { readStartupSettings } from './startup-settings';

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
    const { migrateOnStart } = readStartupSettings(name);
    const shutdownTimeoutMs = readShutdownTimeoutMs(name);
    const module = moduleFactory();
    const app = await createApp(module, { ...options, migrateOnStart });
    stopOnSignals(name, app, shutdownTimeoutMs);
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
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

/**
 * SHUTDOWN_TIMEOUT_MS (default 25 000, 1 000..3 600 000): how long the drain after SIGTERM may
 * take before the app exits anyway. Keep it below the pod's terminationGracePeriodSeconds minus
 * its preStop sleep, or the kubelet kills the app mid-drain: the Helm chart sets it per app from
 * apps.<app>.shutdownTimeoutSeconds and refuses a value that doesn't fit. A bad value stops the
 * app with a ConfigError naming the variable.
 */
export function readShutdownTimeoutMs(app: string, env: NodeJS.ProcessEnv = process.env): number {
  const reader = new EnvReader(env);
  const ms = reader.int('SHUTDOWN_TIMEOUT_MS', DEFAULT_SHUTDOWN_TIMEOUT_MS, 1_000, 3_600_000);
  reader.finish(app);
  return ms;
}

/**
 * SIGTERM / SIGINT: stop taking work, drain (in-flight RPCs and events finish and are acked),
 * close connections, and exit 0; exit 1 if that takes longer than `timeoutMs`.
 */
export function stopOnSignals(name: string, app: INestApplication, timeoutMs: number): void {
  const logger = app.get<Logger>(LOGGER);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${name}: shutting down (draining in-flight work)`);
    const timer = setTimeout(() => {
      logger.error(`${name}: shutdown took over ${timeoutMs} ms; exiting anyway`);
      process.exit(1);
    }, timeoutMs);
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
