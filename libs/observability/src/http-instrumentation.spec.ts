import Fastify, { type FastifyInstance } from 'fastify';
import { SpanKind } from '@opentelemetry/api';
import { instrumentHttp } from './http-instrumentation';
import { Metrics } from './metrics';
import { captureLogs } from './testing/log-capture';
import { inMemoryTracingForTests } from './testing/in-memory-tracing';
import { activeTraceFields } from './tracing/tracing';

function app(level = 'debug') {
  const { lines, logger } = captureLogs('gateway', level);
  const fastify: FastifyInstance = Fastify({ logger: false });
  instrumentHttp(fastify, new Metrics('gateway', false), logger);
  fastify.get('/items/:id', async () => ({ traced: activeTraceFields() ?? null }));
  fastify.get('/boom', async (_req, reply) => reply.status(503).send({ down: true }));
  for (const probe of ['/health/live', '/health/ready', '/metrics']) fastify.get(probe, async () => 'ok');
  return { fastify, lines };
}

describe('HTTP access log and server spans (Fastify, in process)', () => {
  it('writes one "http" line per request at info: method, route template, status, ms, request id', async () => {
    const { fastify, lines } = app();
    const res = await fastify.inject({ url: '/items/42?secret=x', headers: { 'x-request-id': 'req-7' } });
    expect(res.statusCode).toBe(200);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'http',
        app: 'gateway',
        method: 'GET',
        route: '/items/:id',
        status: 200,
        ms: expect.any(Number),
        requestId: 'req-7',
      }),
    ]);
    expect(JSON.stringify(lines[0])).not.toContain('secret'); // the route template, never the URL
    expect(lines[0]).not.toHaveProperty('trace_id'); // tracing is off

    await fastify.inject({ url: '/nowhere' });
    expect(lines[1]).toMatchObject({
      msg: 'http',
      route: 'unmatched',
      status: 404,
      requestId: expect.any(String),
    });
  });

  it('logs health and metrics probes at debug level only', async () => {
    const { fastify, lines } = app('debug');
    for (const url of ['/health/live', '/health/ready', '/metrics']) await fastify.inject({ url });
    expect(lines.map((l) => [l.level, l.route])).toEqual([
      ['debug', '/health/live'],
      ['debug', '/health/ready'],
      ['debug', '/metrics'],
    ]);
    const quiet = app('info');
    await quiet.fastify.inject({ url: '/health/ready' });
    await quiet.fastify.inject({ url: '/metrics' });
    await quiet.fastify.inject({ url: '/items/1' });
    expect(quiet.lines.map((l) => l.route)).toEqual(['/items/:id']);
  });

  describe('with tracing on', () => {
    const tracing = inMemoryTracingForTests();

    it("makes each request one server span named by method and route, continuing the caller's traceparent", async () => {
      const { fastify, lines } = app();
      const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
      const res = await fastify.inject({
        url: '/items/42',
        headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` },
      });
      const [span] = tracing.spans();
      expect(tracing.spans()).toHaveLength(1);
      expect(span).toMatchObject({
        name: 'GET /items/:id',
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': 'GET',
          'http.route': '/items/:id',
          'http.response.status_code': 200,
        },
      });
      expect(span.spanContext().traceId).toBe(callerTrace);
      expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      // The handler ran inside the span; the access line names it.
      expect(res.json()).toEqual({ traced: { trace_id: callerTrace, span_id: span.spanContext().spanId } });
      expect(lines[0]).toMatchObject({
        msg: 'http',
        trace_id: callerTrace,
        span_id: span.spanContext().spanId,
      });
    });

    it('marks a 5xx answer as an error, and leaves probes untraced', async () => {
      const { fastify } = app();
      await fastify.inject({ url: '/boom' });
      await fastify.inject({ url: '/health/ready' });
      await fastify.inject({ url: '/metrics' });
      expect(tracing.spans().map((s) => [s.name, s.status.code])).toEqual([['GET /boom', 2]]); // 2: ERROR
    });
  });
});
