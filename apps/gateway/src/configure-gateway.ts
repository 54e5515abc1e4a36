import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import { RequestMethod } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { PlatformConfig } from '@lib/config';
import { LOGGER, Logger } from '@lib/observability';
import { ProblemFilter } from './http/problem.filter';
import { CONSOLE_PATH, serveAdminConsole } from './http/admin-console';
import { serveOpenApi } from './http/openapi';
import { applyRateLimits } from './http/rate-limits';
import { applyRequestRules } from './http/request-rules';

/**
 * Answers that carry tokens or personal data are never stored by a cache (docs/api.md, Data
 * formats): every answer of these paths, errors included.
 */
const NO_STORE = /^\/v1\/(?:auth\/|oauth\/token(?:[/?]|$)|me(?:[/?]|$))/;
/** The token endpoint says it to HTTP/1.0 caches too (RFC 6749 §5.1: `Pragma: no-cache`). */
const TOKEN_ENDPOINT = /^\/v1\/oauth\/token(?:[/?]|$)/;

/** Everything that makes the gateway the public API: prefix, security headers, CORS, errors, docs. */
export async function configureGateway(app: NestFastifyApplication, config: PlatformConfig): Promise<void> {
  app.setGlobalPrefix('v1', {
    exclude: ['health/live', 'health/ready', 'metrics', '.well-known/jwks.json'].map((path) => ({
      path,
      method: RequestMethod.GET,
    })),
  });
  const headers = securityHeaders({
    // The docs UI needs inline scripts and styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  // The admin console holds an admin's tokens in memory: no inline or foreign script may run
  // there, and it only talks to this origin. (Inline styles stay: the charts set them.)
  const consoleHeaders = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
      },
    },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (req, reply, done) => {
      const isConsole = req.url === CONSOLE_PATH || req.url.startsWith(`${CONSOLE_PATH}/`);
      void reply.headers(isConsole ? consoleHeaders : headers);
      // Set before anything can fail, so errors carry it too.
      if (NO_STORE.test(req.url)) void reply.header('Cache-Control', 'no-store');
      if (TOKEN_ENDPOINT.test(req.url)) void reply.header('Pragma', 'no-cache');
      done();
    });
  applyRateLimits(app);
  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    exposedHeaders: ['x-request-id', 'retry-after', 'ratelimit', 'ratelimit-policy'],
  });
  const logger = app.get<Logger>(LOGGER);
  app.useGlobalFilters(new ProblemFilter(logger));
  applyRequestRules(app);
  if (config.apiDocsEnabled !== false) serveOpenApi(app); // API_DOCS_ENABLED=false: no /docs
  await serveAdminConsole(app, config.adminConsoleDir, logger);
}

/**
 * helmet's headers depend on its options only (no CSP nonces here): computed once at boot, where
 * @fastify/helmet rebuilds every helmet middleware and re-parses the CSP on each request (about a
 * tenth of the gateway's CPU per request, measured by bench/identity.bench.ts).
 */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error('helmet rejected its options');
  });
  return headers;
}
