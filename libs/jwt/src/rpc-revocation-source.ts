import { RPC, type TokenRevocationDto, type TokenRevocationListDto } from '@lib/contracts';
import { RpcClient } from '@lib/messaging';
import { RevocationSource } from './token-revocations';

/** Asks the auth service for the revocations still relevant, over RPC. */
export class RpcRevocationSource extends RevocationSource {
  constructor(private readonly rpc: RpcClient) {
    super();
  }
  async list(): Promise<TokenRevocationDto[]> {
    const answer = await this.rpc.send<TokenRevocationListDto>('auth', RPC.auth.tokenRevocations, {});
    return answer.items;
  }
}
