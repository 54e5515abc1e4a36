import { readTracingSettings, tracingEnabled } from './tracing';
import type { TracingHandle } from './tracing-sdk';

export type { TracingHandle };

type Sdk = typeof import('./tracing-sdk');

/** The SDK module, loaded on first use only: an app with tracing off never loads it. */
function sdk(): Sdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./tracing-sdk') as Sdk;
}

/**
 * Before any driver loads (libs/runtime's first import): when tracing is on, the MongoDB and
 * ioredis instrumentations hook `require` so the drivers are patched as they load.
 */
export function preloadTracing(env: NodeJS.ProcessEnv = process.env): void {
  try {
    if (readTracingSettings('preload', env).endpoint) sdk().instrumentDrivers();
  } catch {
    // A bad endpoint: startTracing names it when the app boots.
  }
}

/**
 * Tracing for `app`, when OTEL_EXPORTER_OTLP_ENDPOINT is set: the global provider exporting over
 * OTLP/HTTP in batches, named OTEL_SERVICE_NAME (default: the app). Undefined when off, or when a
 * provider is already registered in this process (tests with several apps, or an in-memory one).
 */
export function startTracing(app: string, env: NodeJS.ProcessEnv = process.env): TracingHandle | undefined {
  const settings = readTracingSettings(app, env);
  if (!settings.endpoint || tracingEnabled()) return undefined;
  const { startSdk, otlpProcessor } = sdk();
  return startSdk(settings.serviceName, otlpProcessor(settings.endpoint));
}
