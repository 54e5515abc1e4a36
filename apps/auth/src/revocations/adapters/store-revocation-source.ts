import { RevocationSource } from '@lib/jwt';
import type { TokenRevocationDto } from '@lib/contracts';
import { TokenRevocationsRepository } from '../ports/token-revocations.repository';

/**
 * What auth's own token verifier (JwtModule) reads the revocation list from: its own store, where
 * the gateway and the other services ask auth over RPC. Made before the app's providers (like the
 * key store, see AuthModule) and given the store once RevocationsModule builds it.
 */
export class StoreRevocationSource extends RevocationSource {
  private store?: TokenRevocationsRepository;

  attach(store: TokenRevocationsRepository): this {
    this.store = store;
    return this;
  }

  async list(): Promise<TokenRevocationDto[]> {
    // Not attached yet: TokenRevocations treats it like an unreachable auth, and tries again.
    if (!this.store) throw new Error('the token revocation store is not ready yet');
    const live = await this.store.listLive(new Date());
    return live.map(({ principalId, validAfter }) => ({ principalId, validAfter: validAfter.getTime() }));
  }
}
