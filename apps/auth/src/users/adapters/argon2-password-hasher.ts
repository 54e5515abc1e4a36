import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { PasswordHasher } from '../ports/password-hasher';

/**
 * argon2id at OWASP's first recommended setting: 19 MiB of memory, 2 iterations, parallelism 1.
 * @node-rs/argon2 runs on libuv's thread pool (the event loop stays free) and ships its compiled
 * binary inside a per-platform npm package, so nothing is built or downloaded at install.
 */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const PHC_PARAMS = `$argon2id$v=19$m=${ARGON2_PARAMS.memoryCost},t=${ARGON2_PARAMS.timeCost},p=${ARGON2_PARAMS.parallelism}$`;

export class Argon2PasswordHasher extends PasswordHasher {
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    // Algorithm is an ambient const enum, which isolatedModules can't read: 2 is Argon2id.
    return hash(password, { algorithm: 2 as Algorithm.Argon2id, ...ARGON2_PARAMS });
  }

  async verify(phc: string, password: string): Promise<boolean> {
    try {
      return await verify(phc, password);
    } catch {
      return false; // a corrupt stored hash is a failed login, not a 500
    }
  }

  async dummyVerify(password: string): Promise<void> {
    this.dummyHash ??= this.hash(randomBytes(24).toString('base64'));
    await this.verify(await this.dummyHash, password);
  }

  needsRehash(phc: string): boolean {
    return !phc.startsWith(PHC_PARAMS);
  }
}
