import { Injectable } from '@nestjs/common';
import { RPC, type RpcCaller } from '@lib/contracts';
import { RpcClient } from '@lib/messaging';
import { ActiveMembers } from '../ports/active-members';

/**
 * Asks auth (`auth.member.lookup`) with the till's own token, which auth checks again
 * (vouchers:redeem); UNKNOWN_MEMBER comes back as auth's DomainError. No cache: a till's voucher
 * redemptions are rare next to its purchases, and a disabled member is refused at once.
 */
@Injectable()
export class RpcActiveMembers extends ActiveMembers {
  constructor(private readonly rpc: RpcClient) {
    super();
  }

  async assertActive(userId: string, onBehalfOf: RpcCaller | undefined): Promise<void> {
    await this.rpc.send('auth', RPC.auth.lookupMember, {
      caller: { accessToken: onBehalfOf?.accessToken },
      params: { userId },
    });
  }
}
