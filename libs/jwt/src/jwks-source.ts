import type { JSONWebKeySet } from 'jose';

/**
 * Where verifiers get the public keys. The auth service answers from its own key store; every
 * other app asks auth over RPC (RpcJwksSource), so no app needs auth's HTTP address.
 */
export abstract class JwksSource {
  abstract fetch(): Promise<JSONWebKeySet>;
}
