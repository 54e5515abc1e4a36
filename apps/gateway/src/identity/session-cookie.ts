import type { FastifyReply, FastifyRequest } from 'fastify';
import { EnvReader } from '@lib/config';
import type { TokenPairDto } from '@lib/contracts';
import { Forbidden, ValidationFailed } from '@lib/errors';

/**
 * Cookie mode, for browsers (the admin console): the refresh token travels in an HttpOnly cookie
 * that no page script can read, instead of in the JSON body. A client opts in per request with
 * this header; without it every auth route works exactly as before.
 */
export const SESSION_COOKIE_HEADER = 'X-Session-Cookie';
/**
 * `__Secure-`: browsers accept the cookie only with `Secure` from a secure origin, so a page on
 * plain http (or a man in the middle) can neither plant nor overwrite it.
 */
export const SESSION_COOKIE = '__Secure-refresh-token';
/** Sent to the auth routes only: never to the rest of the API, nor to the console's files. */
export const SESSION_COOKIE_PATH = '/v1/auth';

/** What the gateway sets: refresh tokens are base64url (and RefreshTokenDto allows 256 characters). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,256}$/;

/** How the header looks in the OpenAPI document. */
export const SESSION_COOKIE_API_HEADER = {
  name: SESSION_COOKIE_HEADER,
  required: false,
  schema: { type: 'string' as const, enum: ['1'] },
  description:
    `Cookie mode, for browsers: \`1\` keeps the refresh token in an HttpOnly, Secure, SameSite=Strict ` +
    `cookie \`${SESSION_COOKIE}\` (Path=${SESSION_COOKIE_PATH}) instead of the JSON body. Refresh and ` +
    `logout then take an empty body and read the cookie. Only from the gateway's own origin: a request ` +
    `whose Origin or Sec-Fetch-Site says otherwise is 403 FORBIDDEN.`,
};

/** The gateway's view of the refresh-token lifetime, for the cookie's Max-Age. */
export class SessionCookieSettings {
  constructor(
    /** REFRESH_TOKEN_TTL_DAYS (auth's setting, read here too): the cookie lives as long as the family. */
    readonly maxAgeSeconds: number,
  ) {}
}

export function readSessionCookieSettings(env: NodeJS.ProcessEnv = process.env): SessionCookieSettings {
  const reader = new EnvReader(env);
  const days = reader.int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365);
  reader.finish('gateway');
  return new SessionCookieSettings(days * 24 * 3600);
}

/** Where a refresh or logout finds its refresh token. */
export type PresentedToken =
  | { mode: 'body'; refreshToken: string }
  /** No cookie: the browser has no session here (signed out, or never signed in). */
  | { mode: 'cookie'; refreshToken: string | undefined };

/** The access part of a token pair: what a page gets in cookie mode. */
export type AccessGrant = Omit<TokenPairDto, 'refreshToken'>;

/**
 * The cookie's rules. CSRF: the cookie is only read when the request carries the custom header,
 * which a cross-site form cannot send and a foreign page's fetch cannot either without a CORS
 * preflight the gateway refuses; and whenever the browser says where the request comes from
 * (Origin, Sec-Fetch-Site), it must be this origin. SameSite=Strict keeps the cookie off
 * cross-site requests in the first place.
 */
export class SessionCookies {
  constructor(private readonly settings: SessionCookieSettings) {}

  /**
   * Whether the request opts in to cookie mode (login): 400 on a header value other than `1`,
   * 403 from another origin.
   */
  requested(req: FastifyRequest): boolean {
    const value = req.headers[SESSION_COOKIE_HEADER.toLowerCase()];
    if (value === undefined) return false;
    if (value !== '1') {
      throw new ValidationFailed([
        {
          field: SESSION_COOKIE_HEADER,
          message: `must be 1 (cookie mode), or left out (tokens in the body)`,
        },
      ]);
    }
    assertSameOrigin(req);
    return true;
  }

  /**
   * The refresh token of a refresh or logout: the body's, as always, or in cookie mode the
   * cookie's. One or the other, never both. Without the header and without a body token: 400
   * naming refreshToken as before, or 403 when a session cookie came (a request the page did not
   * make, as far as the gateway can tell).
   */
  presented(req: FastifyRequest, bodyToken: string | undefined): PresentedToken {
    if (this.requested(req)) {
      // The body is required in both modes (the OpenAPI document says so): `{}` in cookie mode.
      if (req.body === undefined || req.body === null) {
        throw new ValidationFailed([
          { field: 'body', message: `is required: send {} with ${SESSION_COOKIE_HEADER}: 1` },
        ]);
      }
      if (bodyToken !== undefined) {
        throw new ValidationFailed([
          {
            field: 'refreshToken',
            message: `must be left out with ${SESSION_COOKIE_HEADER}: 1 (the session cookie carries it)`,
          },
        ]);
      }
      // A value no refresh token could have is no session either (401, not a 400 about a body).
      const cookie = cookieOf(req);
      return { mode: 'cookie', refreshToken: cookie && TOKEN_SHAPE.test(cookie) ? cookie : undefined };
    }
    if (bodyToken !== undefined) return { mode: 'body', refreshToken: bodyToken };
    if (cookieOf(req) !== undefined) {
      throw new Forbidden(
        `the session cookie is only read with the header ${SESSION_COOKIE_HEADER}: 1, from this site's own pages`,
      );
    }
    throw new ValidationFailed([
      {
        field: 'refreshToken',
        message: `is required (or send ${SESSION_COOKIE_HEADER}: 1 and the session cookie)`,
      },
    ]);
  }

  /** Keeps the pair's refresh token in the cookie; the body gets the rest. */
  keep(reply: FastifyReply, pair: TokenPairDto): AccessGrant {
    const { refreshToken, ...grant } = pair;
    setCookie(reply, refreshToken, this.settings.maxAgeSeconds);
    return grant;
  }

  /** Ends the cookie in the browser (Max-Age=0). */
  clear(reply: FastifyReply): void {
    setCookie(reply, '', 0);
  }
}

/**
 * Written by hand rather than with @fastify/cookie, whose ESM-only `cookie` dependency it loads
 * with a dynamic import that the test runner cannot follow. One cookie, whose value (base64url)
 * needs no encoding.
 */
function setCookie(reply: FastifyReply, value: string, maxAgeSeconds: number): void {
  void reply.header(
    'Set-Cookie',
    `${SESSION_COOKIE}=${value}; Max-Age=${maxAgeSeconds}; Path=${SESSION_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`,
  );
}

/**
 * The session cookie's value, if the request carries it. Should the name come twice, the first
 * wins: browsers send the cookie of the longest path first.
 */
function cookieOf(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * 403 unless the browser's own account of the request says it comes from this origin. The host is
 * compared, not the scheme: behind a TLS-terminating ingress the gateway may see http, and a page
 * on plain http can neither receive this Secure cookie nor pass the CORS preflight.
 */
function assertSameOrigin(req: FastifyRequest): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    throw new Forbidden(`cookie mode is for this site's own pages only (Sec-Fetch-Site: ${String(site)})`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && hostOf(origin) !== req.host) {
    throw new Forbidden(`cookie mode is for this site's own pages only (Origin: ${origin})`);
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // "null" (a sandboxed page, a file): never this origin
  }
}
