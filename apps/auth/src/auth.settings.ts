import { EnvReader } from '@lib/config';

/** Failed logins, counted per (account, client IP) and per client IP, each over its own window. */
export interface LoginLimitSettings {
  maxFailuresPerAccountAndIp: number;
  accountAndIpWindowMs: number;
  maxFailuresPerIp: number;
  ipWindowMs: number;
}

/** Sign-ups per client IP and invites per user, each over its own window. */
export interface AbuseLimitSettings {
  registrationsPerIp: number;
  registrationsWindowMs: number;
  invitesPerUser: number;
  invitesWindowMs: number;
}

export interface MailSettings {
  /** smtp(s)://user:pass@host:port; unset: mails are written to the log instead of sent. */
  smtpUrl?: string;
  from: string;
  /** Tries per event before it is dead-lettered (retries back off up to 5 s apart). */
  maxAttempts: number;
}

export interface AdminAccountSettings {
  username: string;
  password: string;
  email: string;
}

/**
 * The auth service's own settings, on top of PlatformConfig (which holds the `iss`/`aud` every
 * token carries). Read once at boot by readAuthSettings; the class is its own DI token.
 */
export class AuthSettings {
  constructor(
    /** PKCS8 PEM of the current signing key. */
    readonly signingKeyPem: string,
    /** PEMs (public or private) of earlier keys, still published in the JWKS during a rotation. */
    readonly previousKeyPems: string[],
    readonly accessTokenTtlSeconds: number,
    readonly refreshTokenTtlDays: number,
    /** How long an API client's access token (client-credentials grant) lives. */
    readonly clientTokenTtlSeconds: number,
    readonly loginLimits: LoginLimitSettings,
    readonly abuseLimits: AbuseLimitSettings,
    readonly mail: MailSettings,
    /** The account ADMIN_USERNAME/ADMIN_PASSWORD seed at start; none when they are unset. */
    readonly admin?: AdminAccountSettings,
  ) {}
}

const HOUR_MS = 3600_000;
const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g;

/**
 * How long a token revocation must be kept: while any access token issued before it may still be
 * presented (the longest lifetime of either kind), plus a minute for clock skew between apps.
 */
export function revocationRetentionMs(settings: AuthSettings): number {
  return Math.max(settings.accessTokenTtlSeconds, settings.clientTokenTtlSeconds) * 1000 + 60_000;
}

/** Every bad variable is reported by name, all at once (ConfigError). */
export function readAuthSettings(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const reader = new EnvReader(env);
  const signingKeyPem = reader.secret('JWT_PRIVATE_KEY');
  if (!signingKeyPem && !reader.problems.length) {
    reader.problem(
      'JWT_PRIVATE_KEY_FILE (or JWT_PRIVATE_KEY) is not set: the RS256 signing key, PKCS8 PEM. ' +
        '`npm run up` generates a development key into .keys/; `node dist/apps/auth/src/main.js keygen <dir>` makes one',
    );
  }
  const previousKeyPems = (reader.secret('JWT_PREVIOUS_PUBLIC_KEYS') ?? '').match(PEM_BLOCK) ?? [];
  const settings = new AuthSettings(
    signingKeyPem ?? '',
    previousKeyPems,
    reader.int('ACCESS_TOKEN_TTL_SECONDS', 1800, 60, 86_400),
    reader.int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    reader.int('CLIENT_TOKEN_TTL_SECONDS', 900, 60, 86_400),
    {
      maxFailuresPerAccountAndIp: reader.int('LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP', 10, 1, 1_000_000),
      accountAndIpWindowMs: 15 * 60_000,
      maxFailuresPerIp: reader.int('LOGIN_MAX_FAILURES_PER_IP', 100, 1, 10_000_000),
      ipWindowMs: HOUR_MS,
    },
    {
      registrationsPerIp: reader.int('RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR', 20, 1, 10_000_000),
      registrationsWindowMs: HOUR_MS,
      invitesPerUser: reader.int('RATE_LIMIT_INVITES_PER_USER_PER_DAY', 20, 1, 10_000_000),
      invitesWindowMs: 24 * HOUR_MS,
    },
    readMail(reader),
    readAdmin(reader),
  );
  reader.finish('auth');
  return settings;
}

function readMail(reader: EnvReader): MailSettings {
  const smtpUrl = reader.secret('SMTP_URL') || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^/]/.test(smtpUrl))
    reader.problem('SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465');
  return {
    smtpUrl,
    from: reader.get('MAIL_FROM') || 'Loyalty programme <no-reply@loyalty.invalid>',
    maxAttempts: reader.int('MAIL_MAX_ATTEMPTS', 10, 1, 50),
  };
}

function readAdmin(reader: EnvReader): AdminAccountSettings | undefined {
  const username = reader.get('ADMIN_USERNAME');
  const password = reader.get('ADMIN_PASSWORD');
  if (Boolean(username) !== Boolean(password)) {
    reader.problem('ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }
  if (password && password.length < 10) reader.problem('ADMIN_PASSWORD must be at least 10 characters');
  if (!username || !password) return undefined;
  return { username, password, email: reader.get('ADMIN_EMAIL') || 'admin@loyalty.invalid' };
}
