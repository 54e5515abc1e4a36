/**
 * Tokens already verified, until their `exp`, as API gateways such as Envoy keep them: RS256
 * verification is the largest fixed cost of an authenticated request, and a client repeats the
 * same token for its whole life. Bounded; the oldest entry goes first (Map keeps insertion order).
 */
export class VerifiedTokenCache<T extends { expiresAt: number }> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string): T | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    if (hit.expiresAt * 1000 <= this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return hit;
  }

  set(token: string, value: T): void {
    if (this.maxEntries <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, value);
  }

  delete(token: string): void {
    this.entries.delete(token);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
