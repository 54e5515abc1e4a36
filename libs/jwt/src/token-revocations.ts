import type { TokenRevocationDto } from '@lib/contracts';
import { UpstreamUnavailable } from '@lib/errors';
import type { AuthenticatedUser } from './authenticated-user';

/** Where a verifier reads the full list of revocations: auth over RPC, or auth's own store. */
export abstract class RevocationSource {
  abstract list(): Promise<TokenRevocationDto[]>;
}

export interface TokenRevocationsOptions {
  /** How often the full list is read again, besides the pushes (a missed push heals by then). */
  resyncMs?: number;
  /** Until the first read succeeds, the background read is tried this often. */
  retryMs?: number;
  /** Revocations older than this are forgotten: longer than any access token lives. */
  retentionMs?: number;
  now?: () => number;
}

/**
 * Per-principal "valid after" times (docs/architecture.md, "Revocation"): a token whose `iat` is
 * before its principal's time is refused, wherever it is verified, and whether or not the
 * verified-token cache holds it. Auth pushes each new time as `auth.principal.revoked` to every
 * verifier's own queue (`apply`), and every verifier reads the full list at start, after every
 * broker reconnect and every `resyncMs` (`sync`). Tokens stay stateless: the check is a Map
 * lookup, and the list holds only revocations younger than the longest token lifetime.
 */
export class TokenRevocations {
  private validAfter = new Map<string, number>();
  private loaded = false;
  private inFlight?: Promise<void>;
  private running = false;
  private timer?: NodeJS.Timeout;
  private readonly resyncMs: number;
  private readonly retryMs: number;
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(
    private readonly source: RevocationSource,
    options: TokenRevocationsOptions = {},
  ) {
    this.resyncMs = options.resyncMs ?? 30_000;
    this.retryMs = options.retryMs ?? 1_000;
    this.retentionMs = options.retentionMs ?? 25 * 3600_000;
    this.now = options.now ?? Date.now;
  }

  /** True when the caller's token was issued before their principal's valid-after time. */
  refuses(caller: Pick<AuthenticatedUser, 'userId' | 'issuedAt'>): boolean {
    const after = this.validAfter.get(caller.userId);
    return after !== undefined && caller.issuedAt * 1000 < after;
  }

  /** A pushed revocation: never moves a principal's time backwards. */
  apply(principalId: string, validAfterMs: number): void {
    const known = this.validAfter.get(principalId);
    if (known === undefined || validAfterMs > known) this.validAfter.set(principalId, validAfterMs);
  }

  /** Reads the full list; what was pushed meanwhile and is newer is kept. */
  sync(): Promise<void> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /**
   * Resolves once the list has been read at least once. Until then no token can be trusted not
   * to be revoked, so a verifier that can't read it answers 503 (as when it can't read the JWKS).
   * Concurrent callers share one read.
   */
  async ensureLoaded(): Promise<void> {
    if (this.loaded) return;
    try {
      await this.sync();
    } catch {
      throw new UpstreamUnavailable('the token revocation list could not be read from auth');
    }
  }

  /** True once the list has been read: readiness waits for it (RevocationFeed). */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * Reads the list now and then again: every `retryMs` until a read succeeds (auth may start
   * after this app), then every `resyncMs`.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = async () => {
      await this.sync().catch(() => undefined);
      if (!this.running) return;
      this.timer = setTimeout(() => void tick(), this.loaded ? this.resyncMs : this.retryMs);
      this.timer.unref();
    };
    void tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  get size(): number {
    return this.validAfter.size;
  }

  private async load(): Promise<void> {
    const items = await this.source.list();
    // Merged, never replaced: a push that arrived while the list was being read may be newer.
    for (const { principalId, validAfter } of items) this.apply(principalId, validAfter);
    // Auth lists only revocations younger than its longest token lifetime; older ones can refuse
    // nothing any more, so the map stays small.
    const horizon = this.now() - this.retentionMs;
    for (const [principalId, validAfter] of this.validAfter) {
      if (validAfter < horizon) this.validAfter.delete(principalId);
    }
    this.loaded = true;
  }
}
