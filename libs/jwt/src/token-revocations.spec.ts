import type { TokenRevocationDto } from '@lib/contracts';
import { RevocationSource, TokenRevocations } from './token-revocations';

class ListedRevocations extends RevocationSource {
  items: TokenRevocationDto[] = [];
  failing = false;
  reads = 0;
  async list() {
    this.reads++;
    if (this.failing) throw new Error('auth is down');
    return this.items.map((item) => ({ ...item }));
  }
}

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0, 500);
const tokenIssuedAt = (ms: number) => ({ userId: 'u-1', issuedAt: Math.floor(ms / 1000) });

describe('token revocations (per-principal valid-after times)', () => {
  let source: ListedRevocations;
  let now: number;
  let revocations: TokenRevocations;
  beforeEach(() => {
    source = new ListedRevocations();
    now = T0;
    revocations = new TokenRevocations(source, { now: () => now, retryMs: 1000, retentionMs: 3600_000 });
  });

  it('refuses tokens issued before the time, including earlier in the same second, and no later ones', () => {
    revocations.apply('u-1', T0);
    expect(revocations.refuses(tokenIssuedAt(T0 - 60_000))).toBe(true);
    // iat is in whole seconds: a token from 12:00:00.200 has iat 12:00:00, before 12:00:00.500.
    expect(revocations.refuses(tokenIssuedAt(T0 - 300))).toBe(true);
    // Auth issues later tokens with iat >= ceil(validAfter), so they pass.
    expect(revocations.refuses(tokenIssuedAt(Math.ceil(T0 / 1000) * 1000))).toBe(false);
    expect(revocations.refuses({ userId: 'someone-else', issuedAt: 0 })).toBe(false);
  });

  it('never moves a principal back: an older push or list entry changes nothing', async () => {
    revocations.apply('u-1', T0);
    revocations.apply('u-1', T0 - 10_000);
    source.items = [{ principalId: 'u-1', validAfter: T0 - 20_000 }];
    await revocations.sync();
    expect(revocations.refuses(tokenIssuedAt(T0 - 5_000))).toBe(true);
  });

  it('merges the full list with what was pushed, and forgets revocations older than any token', async () => {
    source.items = [
      { principalId: 'listed', validAfter: T0 },
      { principalId: 'ancient', validAfter: T0 - 2 * 3600_000 },
    ];
    revocations.apply('pushed', T0);
    await revocations.sync();
    expect(revocations.refuses({ userId: 'listed', issuedAt: 0 })).toBe(true);
    expect(revocations.refuses({ userId: 'pushed', issuedAt: 0 })).toBe(true);
    expect(revocations.size).toBe(2);
  });

  it('answers 503 until the list has been read once, with concurrent callers sharing one read', async () => {
    source.failing = true;
    await expect(revocations.ensureLoaded()).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(revocations.isLoaded).toBe(false);
    source.failing = false;
    await Promise.all([revocations.ensureLoaded(), revocations.ensureLoaded(), revocations.ensureLoaded()]);
    expect(source.reads).toBe(2);
    expect(revocations.isLoaded).toBe(true);
    await revocations.ensureLoaded();
    expect(source.reads).toBe(2);
  });

  it('keeps trying in the background until auth answers, then re-reads every resync period', async () => {
    jest.useFakeTimers();
    try {
      revocations = new TokenRevocations(source, { retryMs: 1000, resyncMs: 30_000 });
      source.failing = true;
      revocations.start();
      await jest.advanceTimersByTimeAsync(2500);
      expect(source.reads).toBe(3); // at 0, 1 s and 2 s
      source.failing = false;
      await jest.advanceTimersByTimeAsync(1000);
      expect(revocations.isLoaded).toBe(true);
      expect(source.reads).toBe(4);
      await jest.advanceTimersByTimeAsync(29_000);
      expect(source.reads).toBe(4);
      await jest.advanceTimersByTimeAsync(1000);
      expect(source.reads).toBe(5);
    } finally {
      revocations.stop();
      jest.useRealTimers();
    }
  });
});
