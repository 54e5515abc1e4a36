import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { Logger } from '@lib/observability';

export const CONSOLE_PATH = '/admin';

/**
 * Serves the admin console (a single-page app built by Vite) at /admin, on the API's own origin
 * so it needs no CORS. Its hashed assets are cached for a year; index.html never, so a deploy is
 * seen at the next load. Every other /admin/... path is a console page: index.html again, and
 * the console's router shows the page. Without a build, /admin says how to make one.
 */
export async function serveAdminConsole(
  app: NestFastifyApplication,
  directory: string,
  logger: Logger,
): Promise<void> {
  const root = resolve(directory);
  const fastify = app.getHttpAdapter().getInstance();
  const built = existsSync(resolve(root, 'index.html'));
  if (built) {
    await fastify.register(fastifyStatic, {
      root,
      prefix: `${CONSOLE_PATH}/`,
      wildcard: false, // one route per built file; the catch-all below serves the pages
      index: false,
      cacheControl: false, // ours, below: @fastify/static would otherwise set max-age=0 on everything
      setHeaders: (res, path) => {
        const immutable = path.includes('/assets/');
        res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  } else {
    logger.warn({ directory: root }, 'admin console not built: /admin answers 404 until `npm run build`');
  }
  const page = (_req: unknown, reply: FastifyReply) => {
    if (built) return reply.sendFile('index.html'); // setHeaders above: no-cache
    return reply
      .code(404)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        code: 'NOT_FOUND',
        detail: `The admin console is not built (no ${root}/index.html): run \`npm run build\`, or set ADMIN_CONSOLE_DIR.`,
      });
  };
  fastify.get(CONSOLE_PATH, (_req, reply) => reply.redirect(`${CONSOLE_PATH}/`, 308));
  fastify.get(`${CONSOLE_PATH}/`, page);
  fastify.get(`${CONSOLE_PATH}/*`, page);
}
