import { DynamicModule, Type } from '@nestjs/common';
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
  options?: CreateAppOptions,
) {
  const main = async () => {
    const module = moduleFactory();
    if (process.argv.includes('migrate')) return runMigrateCommand(module, name);
    const app = await createApp(module, options);
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
