import type { JSONWebKeySet } from 'jose';
import { RPC } from '@lib/contracts';
import { RpcClient } from '@lib/messaging';
import { JwksSource } from './jwks-source';

/** Asks the auth service for its public keys over RPC. */
export class RpcJwksSource extends JwksSource {
  constructor(private readonly rpc: RpcClient) {
    super();
  }
  fetch(): Promise<JSONWebKeySet> {
    return this.rpc.send<JSONWebKeySet>('auth', RPC.auth.jwks, {});
  }
}
