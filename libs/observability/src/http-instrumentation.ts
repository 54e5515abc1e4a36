import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from './logger';
import { Metrics } from './metrics';
import { RequestContext } from './request-context';
import {
  SpanKind,
  type Attributes,
  type Span,
  continueTrace,
  endSpan,
  runInSpan,
  tracingEnabled,
} from './tracing/tracing';

/** Probes: served like any route, but logged at debug level only and never traced. */
const PROBES = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Gives every HTTP request a request id (the client's `x-request-id` when it is sane, else a new
 * one), runs the request inside that context so logs and outgoing RPCs carry it, echoes it in the
 * response, and records the latency histogram by route template (not raw URL: bounded labels).
 * With tracing on, each request (probes aside) is one server span named by method and route
 * template, continuing the caller's `traceparent`. With a logger, each request gets one access
 * log line (`msg: "http"`): method, route, status, ms, request id and trace id.
 */
export function instrumentHttp(fastify: FastifyInstance, metrics: Metrics, logger?: Logger): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  fastify.addHook('onRequest', (req, reply, done) => {
    const incoming = req.headers[RequestContext.HEADER];
    RequestContext.run(typeof incoming === 'string' ? incoming : undefined, () => {
      const requestId = RequestContext.requestId() ?? randomUUID();
      void reply.header(RequestContext.HEADER, requestId);
      const route = req.routeOptions?.url;
      if (!tracingEnabled() || (route && PROBES.has(route))) return done();
      const attributes: Attributes = { 'http.request.method': req.method, 'request.id': requestId };
      if (route) attributes['http.route'] = route;
      const name = route ? `${req.method} ${route}` : req.method;
      const { span, parent } = continueTrace(name, SpanKind.SERVER, req.headers, attributes);
      spans.set(req, span);
      runInSpan(span, done, parent);
    });
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpDuration.observe(
      { method: req.method, route, status: String(status) },
      reply.elapsedTime / 1000,
    );
    const span = spans.get(req);
    if (span) {
      span.setAttribute('http.response.status_code', status);
      endSpan(span, status >= 500 ? String(status) : 'ok');
    }
    if (logger) accessLog(logger, req, reply, route, span);
    done();
  });
  fastify.addHook('onRequestAbort', (req, done) => {
    endSpan(spans.get(req), 'aborted');
    done();
  });
}

function accessLog(
  logger: Logger,
  req: FastifyRequest,
  reply: FastifyReply,
  route: string,
  span: Span | undefined,
): void {
  const level = PROBES.has(route) ? 'debug' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const spanContext = span?.spanContext();
  logger[level](
    {
      method: req.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      requestId: reply.getHeader(RequestContext.HEADER),
      ...(spanContext && { trace_id: spanContext.traceId, span_id: spanContext.spanId }),
    },
    'http',
  );
}
