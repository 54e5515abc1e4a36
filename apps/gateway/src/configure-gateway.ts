import helmet from '@fastify/helmet';
import { RequestMethod } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { PlatformConfig } from '@lib/config';
import { LOGGER, Logger } from '@lib/observability';
import { ProblemFilter } from './http/problem.filter';
import { serveOpenApi } from './http/openapi';
import { createValidationPipe } from './http/validation';

/** Everything that makes the gateway the public API: prefix, security headers, CORS, errors, docs. */
export async function configureGateway(app: NestFastifyApplication, config: PlatformConfig): Promise<void> {
  app.setGlobalPrefix('v1', {
    exclude: ['health/live', 'health/ready', 'metrics', '.well-known/jwks.json'].map((path) => ({
      path,
      method: RequestMethod.GET,
    })),
  });
  await app.register(helmet, {
    // The docs UI needs inline scripts and styles; everything else is JSON.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  app.useGlobalFilters(new ProblemFilter(app.get<Logger>(LOGGER)));
  app.useGlobalPipes(createValidationPipe());
  serveOpenApi(app);
}
