import { createHmac, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

/** The attacks forgedTokens builds; those after the first five need the signing key. */
export const TOKEN_ATTACKS = [
  'alg none',
  'HS256 signed with the public key',
  'tampered payload',
  'unknown kid',
  'a stranger key claiming the real kid',
  'expired',
  'wrong aud',
  'wrong iss',
  'no kid',
] as const;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface ForgeryKit {
  /** Claims of a real token, to be reused by the forgeries. */
  claims: Record<string, unknown>;
  kid: string;
  publicKeyPem: string;
}

/**
 * The classic attacks on JWT verifiers, built from a genuine token's claims: each must be refused
 * with 401 by the gateway and by every service.
 */
export async function forgedTokens(genuine: string, kit: { publicKeyPem: string; signingKey?: KeyObject }) {
  const [h, p, s] = genuine.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string };
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  const hsInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: header.kid })}.${b64(claims)}`;
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const signWith = (key: KeyObject, kid: string, overrides: Record<string, unknown>) =>
    new SignJWT({ ...claims, ...overrides }).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
  const tokens: Record<string, string> = {
    'alg none': `${b64({ alg: 'none', typ: 'JWT', kid: header.kid })}.${b64(claims)}.`,
    'HS256 signed with the public key': `${hsInput}.${createHmac('sha256', kit.publicKeyPem).update(hsInput).digest('base64url')}`,
    'tampered payload': `${h}.${b64({ ...claims, roles: ['member', 'admin'] })}.${s}`,
    'unknown kid': await signWith(stranger, 'no-such-kid', {}),
    'a stranger key claiming the real kid': await signWith(stranger, header.kid, {}),
  };
  if (kit.signingKey) {
    tokens['expired'] = await signWith(kit.signingKey, header.kid, { iat: now - 7200, exp: now - 3600 });
    tokens['wrong aud'] = await signWith(kit.signingKey, header.kid, { aud: 'someone-else' });
    tokens['wrong iss'] = await signWith(kit.signingKey, header.kid, { iss: 'https://evil.example' });
    tokens['no kid'] = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(kit.signingKey);
  }
  return tokens;
}

export function publicPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}
