import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_MODELS, problemResponses } from './api-problems';
import { BEARER_SCHEME, CLIENT_BASIC_SCHEME, OAUTH2_SCHEME, SCOPE_DESCRIPTIONS } from './callers';
import { addOperationalPaths } from './openapi-operations';

/** Where API clients get tokens: relative, like the server. */
const TOKEN_URL = '/v1/oauth/token';

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
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: "A person's access token, from POST /v1/auth/login or /v1/auth/refresh",
      },
      BEARER_SCHEME,
    )
    .addOAuth2(
      {
        type: 'oauth2',
        description:
          "An API client's access token (client-credentials grant, RFC 6749 §4.4), sent as " +
          '`Authorization: Bearer`. An admin creates the client and chooses its scopes.',
        flows: { clientCredentials: { tokenUrl: TOKEN_URL, scopes: SCOPE_DESCRIPTIONS } },
      },
      OAUTH2_SCHEME,
    )
    .addBasicAuth(
      {
        type: 'http',
        scheme: 'basic',
        description:
          "An API client's id and secret, each form-urlencoded (RFC 6749 §2.3.1), for the token endpoint only",
      },
      CLIENT_BASIC_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: PROBLEM_MODELS });
  return closeRequestBodies(forbiddenWhereAuthenticated(distinctSecurity(addOperationalPaths(document))));
}

type Operation = {
  security?: Array<Record<string, string[]>>;
  responses?: Record<string, unknown>;
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
};

const operationsOf = (document: OpenAPIObject): Operation[] =>
  Object.values(document.paths).flatMap((path) => Object.values(path) as Operation[]);

/**
 * A class's security requirements and its method's are concatenated by @nestjs/swagger: an admin
 * route that also lets an API client in would list the bearer scheme twice. Each once.
 */
function distinctSecurity(document: OpenAPIObject): OpenAPIObject {
  for (const operation of operationsOf(document)) {
    if (!operation?.security) continue;
    const seen = new Set<string>();
    operation.security = operation.security.filter((requirement) => {
      const key = JSON.stringify(requirement);
      return !seen.has(key) && !!seen.add(key);
    });
  }
  return document;
}

/**
 * Every route that takes a bearer token can answer 403 FORBIDDEN, even one any person may use: an
 * API client's token there (clients get in only where a scope lets them). Documented on each.
 */
function forbiddenWhereAuthenticated(document: OpenAPIObject): OpenAPIObject {
  const forbidden = problemResponses(['FORBIDDEN'])[403];
  for (const operation of operationsOf(document)) {
    const bearer = operation?.security?.some((requirement) => BEARER_SCHEME in requirement);
    if (bearer && operation.responses && !operation.responses[403]) operation.responses[403] = forbidden;
  }
  return document;
}

/**
 * The validation pipe rejects unknown body fields; say so in the document, so clients and
 * generated SDKs (and fuzzers) know: `additionalProperties: false` on every JSON request-body
 * schema. (The token endpoint's form is the exception: it ignores unknown parameters, RFC 6749.)
 */
function closeRequestBodies(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  for (const operation of operationsOf(document)) {
    const name = operation?.requestBody?.content?.['application/json']?.schema?.$ref?.split('/').pop();
    if (name && schemas[name]) schemas[name].additionalProperties = false;
  }
  return document;
}

export function serveOpenApi(app: NestFastifyApplication): void {
  const document = buildOpenApi(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
}
