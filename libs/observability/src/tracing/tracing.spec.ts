import { trace } from '@opentelemetry/api';
import { ConfigError } from '@lib/config';
import { captureLogs } from '../testing/log-capture';
import { startInMemoryTracing } from '../testing/in-memory-tracing';
import { startTracing } from './start-tracing';
import {
  SpanKind,
  readTracingSettings,
  runInSpan,
  startSpan,
  traceparentOf,
  tracingEnabled,
} from './tracing';

describe('tracing: the switch and trace ids in logs', () => {
  it('is on only with OTEL_EXPORTER_OTLP_ENDPOINT; OTEL_SERVICE_NAME defaults to the app', () => {
    expect(readTracingSettings('loyalty', {})).toEqual({ serviceName: 'loyalty' });
    expect(readTracingSettings('loyalty', { OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toEqual({
      serviceName: 'loyalty',
    });
    expect(readTracingSettings('loyalty', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' })).toEqual({
      endpoint: 'http://jaeger:4318',
      serviceName: 'loyalty',
    });
    expect(
      readTracingSettings('loyalty', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com',
        OTEL_SERVICE_NAME: 'loyalty-eu',
      }),
    ).toEqual({ endpoint: 'https://otel.example.com', serviceName: 'loyalty-eu' });
    expect(
      readTracingSettings('loyalty', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
        OTEL_SDK_DISABLED: 'true',
      }),
    ).toEqual({ serviceName: 'loyalty' });
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    for (const bad of ['jaeger:4318', 'ftp://jaeger', 'not a url']) {
      expect(() => readTracingSettings('loyalty', { OTEL_EXPORTER_OTLP_ENDPOINT: bad })).toThrow(ConfigError);
      expect(() => readTracingSettings('loyalty', { OTEL_EXPORTER_OTLP_ENDPOINT: bad })).toThrow(
        /loyalty: invalid configuration:\n {2}- OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/,
      );
    }
  });

  it('off: registers no provider, makes no spans and writes no trace ids', () => {
    expect(startTracing('loyalty', {})).toBeUndefined();
    expect(tracingEnabled()).toBe(false);
    expect(trace.getTracerProvider().getTracer('x').startSpan('probe').isRecording()).toBe(false);
    expect(traceparentOf()).toBeUndefined();
    const { lines, logger } = captureLogs();
    logger.info('no tracing');
    expect(lines[0]).not.toHaveProperty('trace_id');
  });

  it('on: every log line written under a span carries its trace_id and span_id', async () => {
    const tracing = startInMemoryTracing();
    try {
      const { lines, logger } = captureLogs();
      const span = startSpan('work', SpanKind.INTERNAL);
      await runInSpan(span, async () => {
        await Promise.resolve(); // survives async hops
        logger.info('inside');
        expect(traceparentOf()).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      });
      span.end();
      logger.info('outside');
      expect(lines[0]).toMatchObject({
        msg: 'inside',
        trace_id: span.spanContext().traceId,
        span_id: span.spanContext().spanId,
      });
      expect(lines[1]).not.toHaveProperty('trace_id');
      expect(lines[1]).not.toHaveProperty('span_id');
    } finally {
      await tracing.stop();
    }
    expect(tracingEnabled()).toBe(false);
  });
});
