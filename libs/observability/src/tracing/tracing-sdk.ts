import { dirname } from 'node:path';
import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { InstrumentationBase, InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { activateTracing } from './tracing';

/**
 * The SDK half of tracing: loaded (about 130 ms and 6 MB) only when tracing is on, by tracing.ts
 * through `require`, so an app without OTEL_EXPORTER_OTLP_ENDPOINT never loads or registers it.
 */

export interface TracingHandle {
  /** Exports what is buffered (at shutdown; spans are otherwise sent in batches every 5 s). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let drivers: InstrumentationBase[] | undefined;

/**
 * The official MongoDB and ioredis instrumentations. Their require hooks patch the drivers as
 * they load, which is why libs/runtime calls this before anything imports mongoose or ioredis.
 * A driver that is already loaded (another entry point, or Jest, whose module registry bypasses
 * require hooks) is patched here directly, through the instrumentation's own require handler, so
 * the same version checks apply. Idempotent.
 */
export function instrumentDrivers(): void {
  if (drivers) return;
  drivers = [new MongoDBInstrumentation(), new IORedisInstrumentation()];
  for (const instrumentation of drivers) patchLoaded(instrumentation);
}

type OnRequire = (
  module: InstrumentationModuleDefinition,
  exports: unknown,
  name: string,
  baseDir?: string,
) => unknown;

function patchLoaded(instrumentation: InstrumentationBase): void {
  // The handler require-in-the-middle calls (private in the typings; stable across 0.2xx).
  const onRequire = (instrumentation as unknown as { _onRequire: OnRequire })._onRequire.bind(
    instrumentation,
  );
  for (const module of instrumentation.getModuleDefinitions()) {
    const baseDir = packageDir(module.name);
    if (!baseDir) continue; // not installed
    if (module.patch && !module.moduleExports) onRequire(module, load(module.name), module.name, baseDir);
    for (const name of new Set(module.files.map((f) => f.name))) {
      if (module.files.some((f) => f.name === name && f.moduleExports)) continue; // hooked at load
      const exports = load(name); // (files of other major versions don't exist: skipped)
      if (exports !== undefined) onRequire(module, exports, name, baseDir); // it checks the version
    }
  }
}

function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

function load(id: string): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(id);
  } catch {
    return undefined;
  }
}

/**
 * Registers the global tracer provider for `serviceName`, with W3C trace context propagation,
 * async-local context, the sampler from OTEL_TRACES_SAMPLER (parent-based always-on by default)
 * and `processor`; instruments the drivers; switches the hot paths' tracing on.
 */
export function startSdk(serviceName: string, processor: SpanProcessor): TracingHandle {
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': serviceName })),
    spanProcessors: [processor],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  instrumentDrivers();
  activateTracing(trace.getTracer('loyalty-platform'));
  return {
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      activateTracing(undefined);
      await provider.shutdown();
      trace.disable();
      propagation.disable();
    },
  };
}

/**
 * OTLP over HTTP to `<endpoint>/v1/traces` (OTEL_EXPORTER_OTLP_ENDPOINT is the base URL of every
 * signal), in batches; the exporter still reads OTEL_EXPORTER_OTLP_HEADERS and the like itself.
 */
export function otlpProcessor(endpoint: string): SpanProcessor {
  return new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }));
}
