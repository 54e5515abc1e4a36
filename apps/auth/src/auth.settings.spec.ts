import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@lib/config';
import { readAuthSettings, revocationRetentionMs } from './auth.settings';
import { KeyStore } from './keys/adapters/key-store';
import { generateSigningKeyPem } from './keys/generate-signing-key/generate-signing-key';

const pem = generateSigningKeyPem();
const jwt = { issuer: 'loyalty-platform', audience: 'loyalty-api' };

describe('auth settings', () => {
  it('defaults: 30-minute access tokens, 15-minute client tokens, 30-day refresh, 10 failures per account and IP per 15 minutes, 100 per IP per hour', () => {
    const s = readAuthSettings({ JWT_PRIVATE_KEY: pem });
    expect(s.accessTokenTtlSeconds).toBe(1800);
    expect(s.refreshTokenTtlDays).toBe(30);
    expect(s.clientTokenTtlSeconds).toBe(900);
    expect(s.loginLimits).toEqual({
      maxFailuresPerAccountAndIp: 10,
      accountAndIpWindowMs: 15 * 60_000,
      maxFailuresPerIp: 100,
      ipWindowMs: 3600_000,
    });
    expect(s.abuseLimits).toEqual({
      registrationsPerIp: 20,
      registrationsWindowMs: 3600_000,
      invitesPerUser: 20,
      invitesWindowMs: 24 * 3600_000,
    });
    expect(s.admin).toBeUndefined();
  });

  it('reads the login, registration and invite limits, naming a bad one', () => {
    const s = readAuthSettings({
      JWT_PRIVATE_KEY: pem,
      LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '3',
      LOGIN_MAX_FAILURES_PER_IP: '40',
      RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: '5',
      RATE_LIMIT_INVITES_PER_USER_PER_DAY: '7',
    });
    expect(s.loginLimits).toMatchObject({ maxFailuresPerAccountAndIp: 3, maxFailuresPerIp: 40 });
    expect(s.abuseLimits).toMatchObject({ registrationsPerIp: 5, invitesPerUser: 7 });
    expect(() =>
      readAuthSettings({ JWT_PRIVATE_KEY: pem, RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: '0' }),
    ).toThrow(/RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR must be an integer/);
    expect(() =>
      readAuthSettings({ JWT_PRIVATE_KEY: pem, LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: 'x' }),
    ).toThrow(/LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP must be an integer/);
  });

  it('reads keys from files, and PEMs with escaped newlines from the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    writeFileSync(join(dir, 'k.pem'), pem);
    expect(readAuthSettings({ JWT_PRIVATE_KEY_FILE: join(dir, 'k.pem') }).signingKeyPem).toBe(pem);
    expect(readAuthSettings({ JWT_PRIVATE_KEY: pem.replace(/\n/g, '\\n') }).signingKeyPem).toBe(pem);
  });

  it('says what to set when the signing key is missing or unreadable', () => {
    expect(() => readAuthSettings({})).toThrow(
      /JWT_PRIVATE_KEY_FILE \(or JWT_PRIVATE_KEY\) is not set.*npm run up/,
    );
    expect(() => readAuthSettings({ JWT_PRIVATE_KEY_FILE: '/no/such/file.pem' })).toThrow(
      /JWT_PRIVATE_KEY_FILE=\/no\/such\/file.pem cannot be read/,
    );
    expect(() => new KeyStore('not a pem', [], jwt)).toThrow(ConfigError);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(() => new KeyStore(small.toString(), [], jwt)).toThrow(/at least 2048 bits/);
  });

  it('needs ADMIN_USERNAME and ADMIN_PASSWORD together, and a password of 10+ characters', () => {
    expect(() => readAuthSettings({ JWT_PRIVATE_KEY: pem, ADMIN_USERNAME: 'admin' })).toThrow(/set together/);
    expect(() =>
      readAuthSettings({ JWT_PRIVATE_KEY: pem, ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'short' }),
    ).toThrow(/at least 10/);
    expect(
      readAuthSettings({ JWT_PRIVATE_KEY: pem, ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'long-enough-pw' })
        .admin,
    ).toEqual({ username: 'root', password: 'long-enough-pw', email: 'admin@loyalty.invalid' });
  });

  it('mails through SMTP_URL (or SMTP_URL_FILE), or into the log when it is unset', () => {
    expect(readAuthSettings({ JWT_PRIVATE_KEY: pem }).mail).toEqual({
      smtpUrl: undefined,
      from: 'Loyalty programme <no-reply@loyalty.invalid>',
      maxAttempts: 10,
    });
    const dir = mkdtempSync(join(tmpdir(), 'smtp-'));
    writeFileSync(join(dir, 'url'), 'smtps://u:p@mail.example.com:465');
    expect(
      readAuthSettings({ JWT_PRIVATE_KEY: pem, SMTP_URL_FILE: join(dir, 'url'), MAIL_FROM: 'a@b.c' }).mail,
    ).toEqual({ smtpUrl: 'smtps://u:p@mail.example.com:465', from: 'a@b.c', maxAttempts: 10 });
    expect(() => readAuthSettings({ JWT_PRIVATE_KEY: pem, SMTP_URL: 'mail.example.com' })).toThrow(
      /SMTP_URL must look like/,
    );
    expect(() => readAuthSettings({ JWT_PRIVATE_KEY: pem, MAIL_MAX_ATTEMPTS: '0' })).toThrow(
      /MAIL_MAX_ATTEMPTS must be an integer in 1..50/,
    );
  });

  it('rejects out-of-range numbers, naming the variable', () => {
    expect(() => readAuthSettings({ JWT_PRIVATE_KEY: pem, ACCESS_TOKEN_TTL_SECONDS: '5' })).toThrow(
      /ACCESS_TOKEN_TTL_SECONDS must be an integer in 60..86400/,
    );
    expect(() => readAuthSettings({ JWT_PRIVATE_KEY: pem, CLIENT_TOKEN_TTL_SECONDS: '59' })).toThrow(
      /CLIENT_TOKEN_TTL_SECONDS must be an integer in 60..86400/,
    );
    expect(() => readAuthSettings({ JWT_PRIVATE_KEY: pem, CLIENT_TOKEN_TTL_SECONDS: '86401' })).toThrow(
      /CLIENT_TOKEN_TTL_SECONDS must be an integer in 60..86400/,
    );
  });

  it('reads the client token lifetime, and keeps revocations as long as the longer lifetime plus a minute', () => {
    const s = readAuthSettings({
      JWT_PRIVATE_KEY: pem,
      CLIENT_TOKEN_TTL_SECONDS: '3600',
      ACCESS_TOKEN_TTL_SECONDS: '600',
    });
    expect(s.clientTokenTtlSeconds).toBe(3600);
    expect(revocationRetentionMs(s)).toBe(3600_000 + 60_000);
    expect(revocationRetentionMs(readAuthSettings({ JWT_PRIVATE_KEY: pem }))).toBe(1800_000 + 60_000);
  });

  it('publishes the signing key and, during a rotation, the previous ones, each with its RFC 7638 kid', async () => {
    const previous = generateSigningKeyPem();
    const s = readAuthSettings({ JWT_PRIVATE_KEY: pem, JWT_PREVIOUS_PUBLIC_KEYS: previous });
    const store = new KeyStore(s.signingKeyPem, s.previousKeyPems, jwt);
    const { keys } = await store.fetch();
    expect(keys).toHaveLength(2);
    expect(keys[0].kid).toBe(store.signingKid);
    for (const k of keys) {
      expect(k).toEqual({
        kty: 'RSA',
        kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        alg: 'RS256',
        use: 'sig',
        n: expect.any(String),
        e: 'AQAB',
      });
      expect(k).not.toHaveProperty('d');
    }
    expect(new KeyStore(pem, [], jwt).signingKid).toBe(store.signingKid); // stable: derived from the key
  });
});
