import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Metrics } from './metrics';
import { RequestContext } from './request-context';

/**
 * Gives every HTTP request a request id (the client's `x-request-id` when it is sane, else a new
 * one), runs the request inside that context so logs and outgoing RPCs carry it, echoes it in the
 * response, and records the latency histogram by route template (not raw URL: bounded labels).
 */
export function instrumentHttp(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    const incoming = req.headers[RequestContext.HEADER];
    RequestContext.run(typeof incoming === 'string' ? incoming : undefined, () => {
      const requestId = RequestContext.requestId() ?? randomUUID();
      void reply.header(RequestContext.HEADER, requestId);
      done();
    });
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
