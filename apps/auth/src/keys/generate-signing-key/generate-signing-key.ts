import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `node dist/apps/auth/src/main.js keygen <dir>`: writes an RS256 signing key to
 * <dir>/jwt-private.pem unless one is there (docker compose runs it once into a volume).
 */
export function generateSigningKeyFile(dir: string): { path: string; created: boolean } {
  const path = join(dir, 'jwt-private.pem');
  if (existsSync(path)) return { path, created: false };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, generateSigningKeyPem(), { mode: 0o600, flag: 'wx' });
  return { path, created: true };
}

export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}
