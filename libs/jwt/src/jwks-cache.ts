import { importJWK, type JSONWebKeySet, type JWK, type KeyLike } from 'jose';
import { JwksSource } from './jwks-source';

export interface JwksCacheOptions {
  /** How long fetched keys are used before asking again (a background refresh). */
  maxAgeMs?: number;
  /** An unknown `kid` triggers a refetch at most this often, so forged kids can't flood auth. */
  unknownKidCooldownMs?: number;
  now?: () => number;
}

/** Auth could not be asked for its keys (it is restarting, or the broker is): a 503, not a 401. */
export class KeySetUnavailable extends Error {
  constructor(cause: unknown) {
    super(
      `the token signing keys could not be fetched: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'KeySetUnavailable';
  }
}

/**
 * The JWKS held in memory, keyed by `kid`. Only RSA keys marked for RS256 signatures are taken;
 * anything else in the set is ignored rather than trusted. A token signed with a new key (after a
 * rotation) is verifiable at once: its unknown kid causes one refetch.
 */
export class JwksCache {
  private keys = new Map<string, KeyLike>();
  private jwks: JSONWebKeySet = { keys: [] };
  private fetchedAt = -Infinity;
  private lastUnknownKidFetch = -Infinity;
  private inFlight?: Promise<void>;
  private readonly maxAgeMs: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(
    private readonly source: JwksSource,
    options: JwksCacheOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
    this.cooldownMs = options.unknownKidCooldownMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * The key for `kid`, or undefined when auth doesn't publish one by that id. Throws
   * KeySetUnavailable when auth can't be asked and no key by that id is known: the token may well
   * be valid (a replica that just started has no keys yet), so that is no reason to refuse it.
   */
  async key(kid: string): Promise<KeyLike | undefined> {
    if (this.now() - this.fetchedAt > this.maxAgeMs) {
      // A stale key set is still used when auth doesn't answer.
      await this.refresh().catch((err: unknown) => {
        if (!this.keys.has(kid)) throw new KeySetUnavailable(err);
      });
    }
    const known = this.keys.get(kid);
    if (known) return known;
    // The cooldown only counts fetches that answered: until auth has answered once, every
    // request may ask (they share one fetch at a time).
    if (this.now() - this.lastUnknownKidFetch < this.cooldownMs) return undefined;
    try {
      await this.refresh();
    } catch (err) {
      throw new KeySetUnavailable(err);
    }
    this.lastUnknownKidFetch = this.now();
    return this.keys.get(kid);
  }

  /** The current public key set, as `/.well-known/jwks.json` publishes it. */
  async keySet(): Promise<JSONWebKeySet> {
    if (this.now() - this.fetchedAt > this.maxAgeMs || this.jwks.keys.length === 0) await this.refresh();
    return this.jwks;
  }

  refresh(): Promise<void> {
    // One fetch at a time: a burst of requests with a new kid shares it.
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async load(): Promise<void> {
    const set = await this.source.fetch();
    const usable = (set.keys ?? []).filter(isRs256SigningKey);
    const keys = new Map<string, KeyLike>();
    for (const jwk of usable) keys.set(jwk.kid as string, (await importJWK(jwk, 'RS256')) as KeyLike);
    this.keys = keys;
    this.jwks = { keys: usable.map(publicPart) };
    this.fetchedAt = this.now();
  }
}

function isRs256SigningKey(jwk: JWK): boolean {
  return (
    jwk.kty === 'RSA' &&
    typeof jwk.kid === 'string' &&
    jwk.kid.length > 0 &&
    (jwk.alg === undefined || jwk.alg === 'RS256') &&
    (jwk.use === undefined || jwk.use === 'sig') &&
    typeof jwk.n === 'string' &&
    typeof jwk.e === 'string' &&
    jwk.d === undefined
  );
}

function publicPart(jwk: JWK): JWK {
  return { kty: 'RSA', kid: jwk.kid, alg: 'RS256', use: 'sig', n: jwk.n, e: jwk.e };
}
