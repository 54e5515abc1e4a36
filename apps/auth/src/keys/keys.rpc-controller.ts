import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { JSONWebKeySet } from 'jose';
import { RPC } from '@lib/contracts';
import { JwksSource } from '@lib/jwt';
import { RpcPayload, type ValidRpcRequest } from '@lib/messaging';

/** The public keys, for the gateway's and every service's JWKS cache. Takes no input. */
@Controller()
export class KeysRpcController {
  // JwtModule binds JwksSource to auth's own KeyStore (see AuthModule): the keys it verifies with.
  constructor(private readonly keys: JwksSource) {}

  @MessagePattern(RPC.auth.jwks)
  jwks(@RpcPayload() _req: ValidRpcRequest): Promise<JSONWebKeySet> {
    return this.keys.fetch();
  }
}
