import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, Problem, toProblem } from '@lib/errors';
import type { Logger } from '@lib/observability';

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UPSTREAM_UNAVAILABLE',
  504: 'UPSTREAM_TIMEOUT',
};

/**
 * The one place errors become HTTP: every response that is not a success is problem+json with a
 * stable `code`. Unknown errors are logged with an errorId and answered as a bare 500 carrying
 * only that id, so stack traces and driver messages never reach a client.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = this.toProblem(exception);
    if (problem.code === 'RATE_LIMITED' && typeof problem.retryAfterSeconds === 'number') {
      void reply.header('Retry-After', String(problem.retryAfterSeconds));
    }
    void reply.status(problem.status).header('Content-Type', 'application/problem+json').send(problem);
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof DomainError) {
      if (exception.code === 'INTERNAL') {
        // An upstream service's unexpected error: it logged the cause under this errorId.
        const errorId = exception.details.errorId;
        return this.internal(typeof errorId === 'string' ? errorId : randomUUID(), exception);
      }
      return toProblem(exception);
    }
    const status = httpStatusOf(exception);
    if (status !== undefined && status < 500) {
      const code = HTTP_CODES[status] ?? (status === 413 ? 'VALIDATION_FAILED' : 'VALIDATION_FAILED');
      const problem = toProblem(new DomainError(code, clientMessage(exception, status)));
      return { ...problem, status };
    }
    return this.internal(randomUUID(), exception);
  }

  private internal(errorId: string, cause: unknown): Problem {
    this.logger.error({ errorId, err: describe(cause) }, 'unexpected error');
    return {
      ...toProblem(
        new DomainError(
          'INTERNAL',
          `An unexpected error occurred. Quote errorId ${errorId} when reporting it.`,
        ),
      ),
      errorId,
    };
  }
}

/** Status of Nest's HttpException or Fastify's own errors (bad JSON, body too large, ...). */
function httpStatusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const status = (exception as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

function clientMessage(exception: unknown, status: number): string {
  if (status === 404) return 'No such resource';
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : exception.message;
  }
  // Fastify errors (e.g. FST_ERR_CTP_INVALID_JSON_BODY) have safe, descriptive messages.
  return (exception as Error).message;
}

function describe(err: unknown): { message: string; stack?: string } {
  return err instanceof Error ? { message: err.message, stack: err.stack } : { message: String(err) };
}
