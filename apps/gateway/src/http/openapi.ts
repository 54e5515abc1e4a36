import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_MODELS } from './api-problems';
import { addOperationalPaths } from './openapi-operations';

/** OpenAPI generated from the controllers and DTOs: /docs (UI) and /docs-json (the document). */
export function buildOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Loyalty platform API')
    .setDescription(
      'Points, vouchers and coupon codes. Errors are application/problem+json with a stable `code`; ' +
        'see the Conventions section of the API contract.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative: the gateway that serves this document (its paths include /v1).
    .addServer('/', 'This gateway')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: PROBLEM_MODELS });
  return closeRequestBodies(addOperationalPaths(document));
}

/**
 * The validation pipe rejects unknown body fields; say so in the document, so clients and
 * generated SDKs (and fuzzers) know: `additionalProperties: false` on every request-body schema.
 */
function closeRequestBodies(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as Array<{
      requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
    }>) {
      for (const media of Object.values(operation?.requestBody?.content ?? {})) {
        const name = media.schema?.$ref?.split('/').pop();
        if (name && schemas[name]) schemas[name].additionalProperties = false;
      }
    }
  }
  return document;
}

export function serveOpenApi(app: NestFastifyApplication): void {
  const document = buildOpenApi(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
}
