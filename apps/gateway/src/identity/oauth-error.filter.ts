import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode } from '@lib/errors';
import { LOGGER, Logger } from '@lib/observability';
import { ProblemFilter } from '../http/problem.filter';

/** The challenge sent with every invalid_client (RFC 6749 §5.2: a MUST when Basic was used). */
export const CLIENT_CHALLENGE = 'Basic realm="loyalty-platform"';

/** Each code the token endpoint answers in RFC 6749's words, with its `error`. */
const OAUTH_ERRORS: Partial<
  Record<ErrorCode, 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type'>
> = {
  OAUTH_INVALID_REQUEST: 'invalid_request',
  OAUTH_INVALID_CLIENT: 'invalid_client',
  OAUTH_INVALID_SCOPE: 'invalid_scope',
  OAUTH_UNSUPPORTED_GRANT_TYPE: 'unsupported_grant_type',
  // A parameter auth's own validation refused: the request was malformed.
  VALIDATION_FAILED: 'invalid_request',
};

/**
 * The token endpoint's errors as RFC 6749 §5.2 has them: `{error, error_description}` in
 * application/json, 400, or 401 with a WWW-Authenticate challenge for invalid_client, so any OAuth
 * client library understands them. Everything else the route can answer (429, 503, 504, a 500)
 * is not an OAuth error and stays problem+json, like on every route.
 */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly problems: ProblemFilter;

  constructor(@Inject(LOGGER) logger: Logger) {
    this.problems = new ProblemFilter(logger);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = exception instanceof DomainError ? OAUTH_ERRORS[exception.code] : undefined;
    if (!error) return this.problems.catch(exception, host);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error === 'invalid_client') void reply.header('WWW-Authenticate', CLIENT_CHALLENGE);
    void reply
      .status(error === 'invalid_client' ? 401 : 400)
      .header('Content-Type', 'application/json; charset=utf-8')
      .send({ error, error_description: descriptionOf(exception as DomainError) });
  }
}

/** RFC 6749 §5.2 allows only printable ASCII but `"` and `\` in error_description. */
function descriptionOf(err: DomainError): string {
  const text = err.errors?.length
    ? err.errors.map((e) => `${e.field}: ${e.message}`).join('; ')
    : err.message;
  return text
    .replace(/"/g, "'")
    .replace(/\\/g, '/')
    .replace(/[^\x20-\x7e]/g, '?');
}
