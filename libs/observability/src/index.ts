export * from './request-context';
export * from './logger';
export * from './metrics';
export * from './metrics-server';
export * from './health';
export * from './http-instrumentation';
export * from './observability.module';
export {
  TRACEPARENT,
  SpanKind,
  type Context,
  type Link,
  type RemoteChild,
  type Span,
  activeTraceFields,
  contextFromHeaders,
  continueTrace,
  contextFromTraceparent,
  endSpan,
  linkTo,
  readTracingSettings,
  runInSpan,
  startSpan,
  traceparentOf,
  tracingEnabled,
  untraced,
} from './tracing/tracing';
export { preloadTracing, startTracing, type TracingHandle } from './tracing/start-tracing';
