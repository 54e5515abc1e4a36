import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startSdk } from '../tracing/tracing-sdk';

export interface InMemoryTracing {
  /** Every span ended since the start (or the last reset), in the order they ended. */
  spans(): ReadableSpan[];
  reset(): void;
  stop(): Promise<void>;
}

/**
 * Tracing on, as OTEL_EXPORTER_OTLP_ENDPOINT would switch it on, but into memory: the same
 * provider, propagation, driver instrumentations and hot-path spans, each span kept as it ends.
 * Start it before the apps under test: their own startTracing then sees a provider and adds none.
 */
export function startInMemoryTracing(serviceName = 'test'): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const handle = startSdk(serviceName, new SimpleSpanProcessor(exporter));
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    stop: () => handle.shutdown(),
  };
}

/**
 * For a Jest `describe`: tracing on from its beforeAll to its afterAll (so tests before it in the
 * file run with tracing off), the spans cleared before each test.
 */
export function inMemoryTracingForTests(): Pick<InMemoryTracing, 'spans' | 'reset'> {
  let tracing: InMemoryTracing | undefined;
  beforeAll(() => {
    tracing = startInMemoryTracing();
  });
  afterAll(() => tracing?.stop());
  beforeEach(() => tracing?.reset());
  return { spans: () => tracing!.spans(), reset: () => tracing!.reset() };
}
