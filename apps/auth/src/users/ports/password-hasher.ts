/** The password hashing port: use cases depend on this, never on the algorithm. */
export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  abstract verify(hash: string, password: string): Promise<boolean>;
  /**
   * Burns the same time as verifying a real hash, for logins naming no user: the response to an
   * unknown username must not come back faster than the one to a wrong password.
   */
  abstract dummyVerify(password: string): Promise<void>;
  /** True when the hash was made with weaker parameters than today's: rehash on next login. */
  abstract needsRehash(hash: string): boolean;
}
