import { plural } from '../ui/format';

/** One field the API rejected, as problem+json `errors[]` names it. */
export interface FieldError {
  field: string;
  message: string;
}

/** "discountPercent" → "Discount percent"; "tiers.2.name" → "Tier 3 name". */
export function fieldLabel(field: string): string {
  const words = field
    .split('.')
    .map((part, i, parts) => {
      if (/^\d+$/.test(part)) return String(Number(part) + 1);
      const spaced = part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
      // "tiers.2.name": the list's name in the singular before its position
      return /^\d+$/.test(parts[i + 1] ?? '') && spaced.endsWith('s') ? spaced.slice(0, -1) : spaced;
    })
    .join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** class-validator's wording (what the API says, for programs) → plain words, without the field's name. */
const PLAIN_RULES: Array<[RegExp, (...groups: string[]) => string]> = [
  [/^must not be less than (-?[\d.]+)$/, (n) => `must be at least ${n}`],
  [/^must not be greater than (-?[\d.]+)$/, (n) => `must be at most ${n}`],
  [
    /^must contain at least (\d+) elements?$/,
    (n) => (n === '1' ? 'needs at least one choice' : `needs at least ${plural(Number(n), 'item')}`),
  ],
  [/^must contain no more than (\d+) elements?$/, (n) => `can have at most ${plural(Number(n), 'item')}`],
  [
    /^must be longer than or equal to (\d+) characters?$/,
    (n) => `must be at least ${plural(Number(n), 'character')} long`,
  ],
  [
    /^must be shorter than or equal to (\d+) characters?$/,
    (n) => `must be at most ${plural(Number(n), 'character')} long`,
  ],
  [/^must be an integer number$/, () => 'must be a whole number'],
  [/^must be a number conforming to the specified constraints$/, () => 'must be a number'],
  [/^must be a positive number$/, () => 'must be more than 0'],
  [/^should not be empty$/, () => 'is required'],
  [/^must be an email$/, () => 'must be an email address, like name@example.com'],
  [/^must be one of the following values: (.*)$/, (values) => `must be one of: ${values}`],
  [/^must be a valid ISO 8601 date string$/, () => 'must be a date and time'],
  [/^must be a UUID$/, () => 'must be an id like 6f1c0b8e-3d1a-4c2b-9e0f-1a2b3c4d5e6f'],
  [/^must be a string$/, () => 'must be text'],
  [/^must be a boolean value$/, () => 'must be yes or no'],
  [/^must be an array$/, () => 'must be a list'],
];

/**
 * The API's message for a field in plain words, without repeating the field's name (it stands
 * beside its field, or after its label): "count must not be less than 1" → "must be at least 1".
 * A message the API already wrote for people passes through, minus the name.
 */
export function plainMessage(field: string, message: string): string {
  const name = field.split('.').pop() ?? field;
  let text = message.trim();
  for (const prefix of [`each value in ${field} `, `each value in ${name} `, `${field} `, `${name} `])
    if (text.startsWith(prefix)) {
      text = text.slice(prefix.length);
      break;
    }
  for (const [rule, say] of PLAIN_RULES) {
    const match = rule.exec(text);
    if (match) return say(...match.slice(1));
  }
  return text;
}

/** "Count must be at least 1." — a field's problem as one sentence, for a list of problems. */
export function fieldSentence(error: FieldError): string {
  const text = `${fieldLabel(error.field)} ${error.message}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** What the API answered instead of success: an `application/problem+json` body, or a network failure. */
export class ApiError extends Error {
  readonly errors: FieldError[];
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    errors: FieldError[] = [],
    readonly retryAfterSeconds?: number,
    /** The problem's extension members (`available`, `conflictingCampaign`, …), as the API sent them. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    // People read these: the API's wording is rewritten once, here, for every form and notice.
    this.errors = errors.map((e) => ({ field: e.field, message: plainMessage(e.field, e.message) }));
  }

  static network(cause: unknown): ApiError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new ApiError(
      0,
      'NETWORK',
      `The server could not be reached (${why}). Check the connection and retry.`,
    );
  }

  /** The API's errors keyed by field (`address.city` stays dotted), in plain words; several are joined. */
  byField(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { field, message } of this.errors)
      out[field] = out[field] ? `${out[field]}; ${message}` : message;
    return out;
  }
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'code', 'errors', 'instance']);

function extensionsOf(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !PROBLEM_MEMBERS.has(key)));
}

/** Reads a failed response into an ApiError, whatever its body is. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: Partial<{ code: string; detail: string; title: string; errors: FieldError[] }> &
    Record<string, unknown> = {};
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
    extensionsOf(body),
  );
}

/** A sentence for people: what went wrong and, where we know it, what to do next. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.code === 'RATE_LIMITED')
    return `Too many requests. Try again in ${error.retryAfterSeconds ?? 'a few'} seconds.`;
  if (error.code === 'FORBIDDEN') return 'Your account may not do this: it needs the admin role.';
  if (error.code === 'VALIDATION_FAILED' && error.errors.length)
    return error.errors.length === 1
      ? 'One field needs attention.'
      : `${error.errors.length} fields need attention.`;
  if (error.status >= 500 && error.status !== 503 && error.status !== 504)
    return `${error.detail} (error ${error.code}). Retry; if it persists, tell the operators.`;
  return error.detail;
}
