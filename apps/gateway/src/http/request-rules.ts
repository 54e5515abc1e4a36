import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  NestInterceptor,
  SetMetadata,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { NestFastifyApplication, RouteConfig } from '@nestjs/platform-fastify';
import { ApiConsumes } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Observable } from 'rxjs';
import { inputErrors } from '@lib/contracts';
import { FieldError, ValidationFailed } from '@lib/errors';
import { createValidationPipe } from './validation';

/** The media type a request body must have unless its route says otherwise. */
export const JSON_MEDIA_TYPE = 'application/json';
const MEDIA_TYPES = 'acceptsMediaTypes';
const IGNORES_UNDECLARED = 'gateway:ignoresUndeclaredInput';

/**
 * A route whose body comes in other media types than JSON (a form-encoded OAuth token request,
 * say): the exception to the JSON-only rule is made per route, and the OpenAPI document says so.
 * The list is complete: `@AcceptsMediaTypes('application/x-www-form-urlencoded')` takes no JSON.
 * A type needs a body parser too (Nest registers JSON and form-encoded ones).
 */
export const AcceptsMediaTypes = (...types: string[]) =>
  applyDecorators(RouteConfig({ [MEDIA_TYPES]: types.map((t) => t.toLowerCase()) }), ApiConsumes(...types));

/**
 * The one exception to "unknown fields are refused": a route whose protocol says unknown
 * parameters are ignored (the OAuth token endpoint: RFC 6749 §3.2 says the server MUST ignore
 * unrecognized request parameters, and OAuth client libraries send extras such as `audience`).
 * Its handler reads the raw input itself (not through `@Body()`, whose pipe would check every
 * parameter) and validates the parameters it knows.
 */
export const IgnoresUndeclaredInput = () => SetMetadata(IGNORES_UNDECLARED, true);

/**
 * The gateway's rules on what a request may carry, before any DTO: every body, query and param
 * validated (the pipe), nothing a handler doesn't declare (the interceptor), and bodies only in
 * the route's media type and nested at most MAX_INPUT_DEPTH levels (Fastify hooks, so no
 * unsupported or too-deep body ever reaches a guard, a pipe or a handler).
 */
export function applyRequestRules(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify ignores a GET's body unread; read it like any other, so that a body sent to a GET
  // route is refused as on every other route that takes none, not silently dropped.
  fastify.addHttpMethod('GET', { hasBody: true, overrideExisting: true });
  fastify.addHook('preParsing', async (req, _reply, payload) => {
    if (hasNoBody(req.headers)) return payload;
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const accepted = (req.routeOptions?.config as { [MEDIA_TYPES]?: string[] } | undefined)?.[
      MEDIA_TYPES
    ] ?? [JSON_MEDIA_TYPE];
    if (!accepted.includes(mediaType)) {
      throw new UnsupportedMediaTypeException(
        `${mediaType ? `a body of type ${mediaType}` : 'a body without Content-Type'} is not accepted here: ` +
          `send ${accepted.join(' or ')}`,
      );
    }
    return payload;
  });
  fastify.addHook('preValidation', async (req) => {
    if (req.body === undefined) return;
    const tooDeep = inputErrors(req.body, 'body', { checkControl: false });
    if (tooDeep.length) throw new ValidationFailed(tooDeep);
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new UndeclaredInputInterceptor());
}

/** As Fastify decides it: no Transfer-Encoding and no (or a zero) Content-Length. */
function hasNoBody(headers: IncomingHttpHeaders): boolean {
  return (
    headers['transfer-encoding'] === undefined &&
    (headers['content-length'] === undefined || headers['content-length'] === '0')
  );
}

/**
 * Unknown fields are refused on every route, including those that take no body or no query at
 * all (whose pipe never runs): a route whose handler declares no `@Body()` refuses any body but
 * an empty object, and one without `@Query()` any query parameter, each named.
 */
export class UndeclaredInputInterceptor implements NestInterceptor {
  private readonly declared = new WeakMap<object, Set<RouteParamtypes> | 'anything'>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<FastifyRequest>();
      const takes = this.paramTypesOf(context);
      if (takes === 'anything') return next.handle();
      const errors = [
        ...(takes.has(RouteParamtypes.BODY) ? [] : undeclared(req.body, 'body')),
        ...(takes.has(RouteParamtypes.QUERY) ? [] : undeclared(req.query, 'query')),
      ];
      if (errors.length) throw new ValidationFailed(errors);
    }
    return next.handle();
  }

  /**
   * The kinds of argument the handler declares (Nest keeps them as `"<type>:<index>"` keys), or
   * 'anything' for a route that ignores undeclared input (IgnoresUndeclaredInput).
   */
  private paramTypesOf(context: ExecutionContext): Set<RouteParamtypes> | 'anything' {
    const handler = context.getHandler();
    let types = this.declared.get(handler);
    if (!types && Reflect.getMetadata(IGNORES_UNDECLARED, handler)) {
      types = 'anything';
      this.declared.set(handler, types);
    }
    if (!types) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ??
        {}) as Record<string, unknown>;
      types = new Set(Object.keys(args).map((key) => Number(key.split(':')[0]) as RouteParamtypes));
      this.declared.set(handler, types);
    }
    return types;
  }
}

function undeclared(value: unknown, part: 'body' | 'query'): FieldError[] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ field: part, message: `this route takes no ${part}` }];
  }
  return Object.keys(value).map((field) => ({ field, message: 'is not an allowed field' }));
}
