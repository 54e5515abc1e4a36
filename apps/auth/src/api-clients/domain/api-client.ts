import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiClientDto, ApiClientScope, ApiClientStatus } from '@lib/contracts';
import { invalidScope } from './api-clients.errors';

/** After a rotation, the previous secret keeps working this long, so integrations can switch over. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3600_000;

/** The secrets of a client, by hash only: the current one, and the previous one during its grace. */
export interface ClientSecrets {
  secretHash: string;
  secretCreatedAt: Date;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
}

export interface ApiClient extends ClientSecrets {
  clientId: string;
  name: string;
  scopes: ApiClientScope[];
  status: ApiClientStatus;
  createdAt: Date;
  revokedAt: Date | null;
  lastTokenAt: Date | null;
}

/** A new secret: `lps_` and 256 random bits, base64url. Shown once; only its hash is kept. */
export function newClientSecret(): string {
  return `lps_${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256, hex. Not a password hash (argon2) on purpose: the secret is 256 random bits, so no
 * amount of fast guessing finds it from its hash, and the token endpoint, called by every
 * integration every few minutes, must answer in microseconds rather than tens of milliseconds.
 */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const NO_HASH = '0'.repeat(64);

/**
 * Whether `secret` is the client's current secret, or its previous one before that expires.
 * Compared in constant time, both always, so the time taken tells nothing about either.
 */
export function acceptsSecret(client: ClientSecrets, secret: string, now: Date): boolean {
  const given = Buffer.from(hashClientSecret(secret), 'hex');
  const current = timingSafeEqual(given, Buffer.from(client.secretHash, 'hex'));
  const previousLive =
    client.previousSecretHash !== null &&
    client.previousSecretExpiresAt !== null &&
    now.getTime() < client.previousSecretExpiresAt.getTime();
  const previous = timingSafeEqual(given, Buffer.from(client.previousSecretHash ?? NO_HASH, 'hex'));
  return current || (previousLive && previous);
}

/**
 * A rotation: the new secret becomes current, the current one keeps working for the grace
 * period, and the one before it (if still in its grace) stops at once.
 */
export function rotatedSecrets(
  client: ClientSecrets,
  newSecretHash: string,
  now: Date,
): ClientSecrets & { previousSecretExpiresAt: Date } {
  return {
    secretHash: newSecretHash,
    secretCreatedAt: now,
    previousSecretHash: client.secretHash,
    previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS),
  };
}

/**
 * The scopes a token gets: all the client's grants when it asks for none (RFC 6749 §3.3 lets the
 * server choose a default), else exactly those asked for (space-separated), each of which must be
 * granted; in the order of the grants, without repeats.
 */
export function grantedScopes(client: Pick<ApiClient, 'scopes'>, requested?: string): ApiClientScope[] {
  const asked = [...new Set((requested ?? '').split(' ').filter(Boolean))];
  if (!asked.length) return [...client.scopes];
  const refused = asked.filter((scope) => !(client.scopes as string[]).includes(scope));
  if (refused.length) throw invalidScope(refused);
  return client.scopes.filter((scope) => asked.includes(scope));
}

/** What administrators see: never the secret, nor its hash. */
export function toApiClientView(client: ApiClient, now = new Date()): ApiClientDto {
  const previousUntil = client.previousSecretExpiresAt;
  return {
    clientId: client.clientId,
    name: client.name,
    scopes: client.scopes,
    status: client.status,
    createdAt: client.createdAt.toISOString(),
    secretCreatedAt: client.secretCreatedAt.toISOString(),
    previousSecretExpiresAt:
      previousUntil && previousUntil.getTime() > now.getTime() ? previousUntil.toISOString() : null,
    lastTokenAt: client.lastTokenAt?.toISOString() ?? null,
  };
}
