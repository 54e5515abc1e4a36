import { EnvReader } from '@lib/config';

/** The auth service's own settings, on top of PlatformConfig. Read once at boot. */
export interface AuthSettings {
  /** PKCS8 PEM of the current signing key. */
  signingKeyPem: string;
  /** PEMs (public or private) of earlier keys, still published in the JWKS during a rotation. */
  previousKeyPems: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  admin?: { username: string; password: string; email: string };
  loginLimits: { maxFailuresPerAccount: number; maxFailuresPerIp: number; windowMs: number };
  mail: {
    /** smtp(s)://user:pass@host:port; unset: mails are written to the log instead of sent. */
    smtpUrl?: string;
    from: string;
    /** Tries per event before it is dead-lettered (retries back off up to 5 s apart). */
    maxAttempts: number;
  };
}

const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g;

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

  const adminUsername = reader.get('ADMIN_USERNAME');
  const adminPassword = reader.get('ADMIN_PASSWORD');
  if (Boolean(adminUsername) !== Boolean(adminPassword)) {
    reader.problem('ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }
  if (adminPassword && adminPassword.length < 10)
    reader.problem('ADMIN_PASSWORD must be at least 10 characters');

  const settings: AuthSettings = {
    signingKeyPem: signingKeyPem ?? '',
    previousKeyPems,
    accessTokenTtlSeconds: reader.int('ACCESS_TOKEN_TTL_SECONDS', 1800, 60, 86_400),
    refreshTokenTtlDays: reader.int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    admin:
      adminUsername && adminPassword
        ? {
            username: adminUsername,
            password: adminPassword,
            email: reader.get('ADMIN_EMAIL') || 'admin@loyalty.invalid',
          }
        : undefined,
    loginLimits: {
      maxFailuresPerAccount: reader.int('LOGIN_MAX_FAILURES_PER_ACCOUNT', 100, 1, 1_000_000),
      maxFailuresPerIp: reader.int('LOGIN_MAX_FAILURES_PER_IP', 1000, 1, 10_000_000),
      windowMs: 3600_000,
    },
    mail: {
      smtpUrl: reader.secret('SMTP_URL') || undefined,
      from: reader.get('MAIL_FROM') || 'Loyalty programme <no-reply@loyalty.invalid>',
      maxAttempts: reader.int('MAIL_MAX_ATTEMPTS', 10, 1, 50),
    },
  };
  if (settings.mail.smtpUrl && !/^smtps?:\/\/[^/]/.test(settings.mail.smtpUrl))
    reader.problem('SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465');
  reader.finish('auth');
  return settings;
}
