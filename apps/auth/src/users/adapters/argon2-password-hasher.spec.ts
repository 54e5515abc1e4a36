import { Argon2PasswordHasher } from './argon2-password-hasher';

describe('password hashing (argon2id at OWASP parameters)', () => {
  const hasher = new Argon2PasswordHasher();

  it('stores argon2id with m=19 MiB, t=2, p=1 and a random salt', async () => {
    const a = await hasher.hash('correct-horse-battery');
    const b = await hasher.hash('correct-horse-battery');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(hasher.needsRehash(a)).toBe(false);
  });

  it('verifies the right password only', async () => {
    const stored = await hasher.hash('correct-horse-battery');
    await expect(hasher.verify(stored, 'correct-horse-battery')).resolves.toBe(true);
    await expect(hasher.verify(stored, 'correct-horse-batterY')).resolves.toBe(false);
    await expect(hasher.verify(stored, '')).resolves.toBe(false);
  });

  it('treats a corrupt stored hash as a failed login, not an error', async () => {
    await expect(hasher.verify('not-a-hash', 'whatever-password')).resolves.toBe(false);
  });

  it('asks for a rehash of hashes made with weaker parameters', () => {
    expect(hasher.needsRehash('$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo')).toBe(true);
    expect(hasher.needsRehash('$scrypt$whatever')).toBe(true);
  });

  it('runs a real verify at the same parameters for unknown users (dummy verify)', async () => {
    const spy = jest.spyOn(hasher, 'verify');
    await hasher.dummyVerify('some-password');
    expect(spy).toHaveBeenCalledTimes(1);
    const [dummyHash] = spy.mock.calls[0];
    expect(dummyHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    spy.mockRestore();
  });
});
