import { Injectable } from '@nestjs/common';
import { RPC, type MemberLookupDto, type RpcCaller } from '@lib/contracts';
import { RpcClient } from '@lib/messaging';
import { Member, MemberDirectory } from '../ports/member-directory';

/**
 * Asks auth over RPC (`auth.member.lookup`), forwarding only the caller's access token: auth
 * checks it again. UNKNOWN_MEMBER comes back as auth's own DomainError; auth down or slow is
 * UPSTREAM_UNAVAILABLE or UPSTREAM_TIMEOUT, as for any RPC.
 */
@Injectable()
export class RpcMemberDirectory extends MemberDirectory {
  constructor(private readonly rpc: RpcClient) {
    super();
  }

  async member(userId: string, onBehalfOf: RpcCaller | undefined): Promise<Member> {
    const answer = await this.rpc.send<MemberLookupDto>('auth', RPC.auth.lookupMember, {
      caller: { accessToken: onBehalfOf?.accessToken },
      params: { userId },
    });
    return { userId: answer.userId, groupId: answer.groupId };
  }
}
