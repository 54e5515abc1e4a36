import { readFileSync } from 'node:fs';
import { ConfigError } from '@lib/config';

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
}

const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g;

export function readAuthSettings(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const problems: string[] = [];
  const secret = (name: string): string | undefined => {
    const file = env[`${name}_FILE`];
    if (file) {
      try {
        return readFileSync(file, 'utf8');
      } catch (err) {
        problems.push(`${name}_FILE=${file} cannot be read (${(err as Error).message})`);
        return undefined;
      }
    }
    // PEMs in env vars often arrive with literal "\n".
    return env[name]?.replace(/\\n/g, '\n');
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      problems.push(`${name} must be an integer in ${min}..${max}`);
    return n;
  };

  const signingKeyPem = secret('JWT_PRIVATE_KEY');
  if (!signingKeyPem && !problems.length) {
    problems.push(
      'JWT_PRIVATE_KEY_FILE (or JWT_PRIVATE_KEY) is not set: the RS256 signing key, PKCS8 PEM. ' +
        '`npm run up` generates a development key into .keys/; `node dist/apps/auth/src/main.js keygen <dir>` makes one',
    );
  }
  const previousKeyPems = (secret('JWT_PREVIOUS_PUBLIC_KEYS') ?? '').match(PEM_BLOCK) ?? [];

  const adminUsername = env.ADMIN_USERNAME;
  const adminPassword = env.ADMIN_PASSWORD;
  if (Boolean(adminUsername) !== Boolean(adminPassword)) {
    problems.push('ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }
  if (adminPassword && adminPassword.length < 10)
    problems.push('ADMIN_PASSWORD must be at least 10 characters');

  const settings: AuthSettings = {
    signingKeyPem: signingKeyPem ?? '',
    previousKeyPems,
    accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 1800, 60, 86_400),
    refreshTokenTtlDays: int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    admin:
      adminUsername && adminPassword
        ? {
            username: adminUsername,
            password: adminPassword,
            email: env.ADMIN_EMAIL || 'admin@loyalty.invalid',
          }
        : undefined,
    loginLimits: {
      maxFailuresPerAccount: int('LOGIN_MAX_FAILURES_PER_ACCOUNT', 100, 1, 1_000_000),
      maxFailuresPerIp: int('LOGIN_MAX_FAILURES_PER_IP', 1000, 1, 10_000_000),
      windowMs: 3600_000,
    },
  };
  if (problems.length) throw new ConfigError(`auth: invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return settings;
}
