import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import { EnvReader } from '@lib/config';

export { SpanKind };
export type { Attributes, Context, Link, Span };

/** The W3C trace-context header: on HTTP requests, AMQP messages and outbox records. */
export const TRACEPARENT = 'traceparent';

export interface TracingSettings {
  /** OTLP/HTTP base URL (`/v1/traces` is appended); tracing is off without it. */
  endpoint?: string;
  serviceName: string;
}

/**
 * Tracing is on only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (`OTEL_SDK_DISABLED=true` turns
 * it off again); `OTEL_SERVICE_NAME` defaults to the app's name.
 */
export function readTracingSettings(app: string, env: NodeJS.ProcessEnv = process.env): TracingSettings {
  const reader = new EnvReader(env);
  const serviceName = reader.get('OTEL_SERVICE_NAME')?.trim() || app;
  const raw = reader.get('OTEL_EXPORTER_OTLP_ENDPOINT')?.trim();
  if (!raw || reader.get('OTEL_SDK_DISABLED')?.trim().toLowerCase() === 'true') return { serviceName };
  if (!isHttpUrl(raw))
    reader.problem(`OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL such as http://localhost:4318`);
  reader.finish(app);
  return { endpoint: raw, serviceName };
}

function isHttpUrl(raw: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(raw).protocol);
  } catch {
    return false;
  }
}

/** Set once the SDK is registered; hot paths test it first, so "off" costs one comparison. */
let tracer: Tracer | undefined;

/** Called by the SDK set-up (tracing-sdk.ts) once its provider is the global one. */
export function activateTracing(active: Tracer | undefined): void {
  tracer = active;
}

export function tracingEnabled(): boolean {
  return tracer !== undefined;
}

/**
 * A new span, child of `parent` (by default the active context), with `links` to other parents
 * (a batch). Call only when tracingEnabled(): callers skip all span work when it is off.
 */
export function startSpan(
  name: string,
  kind: SpanKind,
  attributes?: Attributes,
  parent?: Context,
  links?: Link[],
): Span {
  return tracer!.startSpan(name, { kind, attributes, links }, parent ?? context.active());
}

/** A span that continues a remote caller's trace, and the caller's context it runs under. */
export interface RemoteChild {
  span: Span;
  parent: Context;
}

/**
 * A span continuing the trace named by the `traceparent` in `headers` (HTTP or AMQP; a new trace
 * without one). Call only when tracingEnabled().
 */
export function continueTrace(
  name: string,
  kind: SpanKind,
  headers: Record<string, unknown> | undefined,
  attributes: Attributes,
): RemoteChild {
  const parent = contextFromHeaders(headers);
  return { span: startSpan(name, kind, attributes, parent), parent };
}

/** Runs `fn` with `span` as the active span (under `parent`, by default the active context). */
export function runInSpan<T>(span: Span | undefined, fn: () => T, parent?: Context): T {
  if (!span) return fn();
  return context.with(trace.setSpan(parent ?? context.active(), span), fn);
}

/** Ends a span; an outcome other than `ok` (an error code) marks it as an error. */
export function endSpan(span: Span | undefined, outcome = 'ok'): void {
  if (!span) return;
  if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
  span.end();
}

/** Work that must not count as part of the request that happens to trigger it (the outbox relay). */
export function untraced<T>(fn: () => T): T {
  return tracer ? context.with(ROOT_CONTEXT, fn) : fn();
}

/** The `traceparent` of `span`, or of the active span; undefined when tracing is off or there is none. */
export function traceparentOf(span?: Span): string | undefined {
  if (!tracer) return undefined;
  const target = span ?? trace.getActiveSpan();
  if (!target) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, target), carrier);
  return carrier[TRACEPARENT];
}

const headerGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    return typeof value === 'string' ? value : undefined;
  },
};

/** The remote parent named by a carrier's `traceparent` (HTTP or AMQP headers), else the root. */
export function contextFromHeaders(headers: Record<string, unknown> | undefined): Context {
  return headers ? propagation.extract(ROOT_CONTEXT, headers, headerGetter) : ROOT_CONTEXT;
}

export function contextFromTraceparent(traceparent: string | undefined): Context {
  return traceparent
    ? propagation.extract(ROOT_CONTEXT, { [TRACEPARENT]: traceparent }, headerGetter)
    : ROOT_CONTEXT;
}

/** A link to a remote parent (a batch has many parents); undefined when it names none. */
export function linkTo(parent: Context): Link | undefined {
  const spanContext = trace.getSpanContext(parent);
  return spanContext ? { context: spanContext } : undefined;
}

/** `trace_id` and `span_id` of the active span, for log lines; undefined when there is none. */
export function activeTraceFields(): { trace_id: string; span_id: string } | undefined {
  if (!tracer) return undefined;
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : undefined;
}
