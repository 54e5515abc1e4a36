import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { problemResponses } from './api-problems';

const LIVENESS: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
};

const READINESS: SchemaObject = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    checks: {
      type: 'object',
      description:
        'Each dependency by name (the gateway: rabbitmq, redis, and token-revocations, read from auth), up or down',
      additionalProperties: { type: 'string', enum: ['up', 'down'] },
    },
  },
};

const json = (name: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});

/** What these routes can refuse: a query parameter or a body (none is taken), or a bug. */
const refusals = () => problemResponses(['VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE', 'INTERNAL']);

function operation(
  id: string,
  summary: string,
  description: string,
  responses: OperationObject['responses'],
) {
  return {
    get: {
      operationId: id,
      summary,
      description,
      tags: ['Operations'],
      security: [],
      responses: { ...responses, ...refusals() },
    } satisfies OperationObject,
  };
}

/**
 * The operational routes every app serves (libs/observability), outside `/v1` and excluded from
 * the controllers' documentation there: the gateway's document lists them as the gateway serves
 * them, with their real shapes and content types (metrics are Prometheus text, not JSON).
 */
export function addOperationalPaths(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ?? (document.components.schemas = {});
  schemas.LivenessDto = LIVENESS;
  schemas.ReadinessDto = READINESS;
  Object.assign(document.paths, {
    '/health/live': operation(
      'HealthController_live',
      'Liveness: the process answers',
      'Always 200 while the process can answer. Never cached.',
      { 200: json('LivenessDto', 'The process is alive') },
    ),
    '/health/ready': operation(
      'HealthController_ready',
      'Readiness: every dependency answers',
      'Send traffic only while this is 200. Never cached.',
      {
        200: json('ReadinessDto', 'Every dependency is up'),
        503: json('ReadinessDto', 'A dependency is down: `checks` names it'),
      },
    ),
    '/metrics': operation(
      'MetricsController_metricsText',
      'Prometheus metrics',
      'The HTTP latency histogram by route template, RPC and process metrics, in the Prometheus text format. ' +
        'Served here unless `METRICS_PORT` gives the metrics a port of their own (as the Helm chart does): then 404 here.',
      {
        200: {
          description: 'Prometheus text exposition format, version 0.0.4',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      },
    ),
  });
  return document;
}
