/** One field the API rejected, as problem+json `errors[]` names it. */
export interface FieldError {
  field: string;
  message: string;
}

/** What the API answered instead of success: an `application/problem+json` body, or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  static network(cause: unknown): ApiError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new ApiError(
      0,
      'NETWORK',
      `The server could not be reached (${why}). Check the connection and retry.`,
    );
  }

  /** The API's errors keyed by field (`address.city` stays dotted); several messages are joined. */
  byField(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { field, message } of this.errors)
      out[field] = out[field] ? `${out[field]}; ${message}` : message;
    return out;
  }
}

/** Reads a failed response into an ApiError, whatever its body is. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: Partial<{ code: string; detail: string; title: string; errors: FieldError[] }> = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON (a proxy's error page): fall back on the status
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  return new ApiError(
    res.status,
    body.code ?? `HTTP_${res.status}`,
    body.detail ?? body.title ?? `The server answered ${res.status} ${res.statusText}.`,
    Array.isArray(body.errors) ? body.errors : [],
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/** A sentence for people: what went wrong and, where we know it, what to do next. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.code === 'RATE_LIMITED')
    return `Too many requests. Try again in ${error.retryAfterSeconds ?? 'a few'} seconds.`;
  if (error.code === 'FORBIDDEN') return 'Your account may not do this: it needs the admin role.';
  if (error.status >= 500 && error.status !== 503 && error.status !== 504)
    return `${error.detail} (error ${error.code}). Retry; if it persists, tell the operators.`;
  return error.detail;
}
