import { DynamicModule, Module } from '@nestjs/common';
import { KeysRpcController } from './keys.rpc-controller';
import { AccessTokenSigner } from './ports/access-token-signer';

/** Signing keys: the JWKS RPC, and the signer sessions issue access tokens with. No collections. */
@Module({})
export class KeysModule {
  /** `signer`: the app's one KeyStore, whose public keys JwtModule verifies with (see AuthModule). */
  static register(signer: AccessTokenSigner): DynamicModule {
    return {
      module: KeysModule,
      // Global: sessions sign access tokens with it.
      global: true,
      controllers: [KeysRpcController],
      providers: [{ provide: AccessTokenSigner, useValue: signer }],
      exports: [AccessTokenSigner],
    };
  }
}
