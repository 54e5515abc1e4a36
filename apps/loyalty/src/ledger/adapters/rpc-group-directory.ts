import { Injectable } from '@nestjs/common';
import { RPC, type GroupExistsDto, type RpcCaller } from '@lib/contracts';
import { RpcClient } from '@lib/messaging';
import { GroupDirectory } from '../ports/group-directory';

/**
 * Asks auth over RPC, forwarding only the caller's access token: auth checks it again (admins
 * only). Auth down or slow is UPSTREAM_UNAVAILABLE or UPSTREAM_TIMEOUT, as for any RPC.
 */
@Injectable()
export class RpcGroupDirectory extends GroupDirectory {
  constructor(private readonly rpc: RpcClient) {
    super();
  }

  async exists(groupId: string, onBehalfOf: RpcCaller | undefined): Promise<boolean> {
    const answer = await this.rpc.send<GroupExistsDto>('auth', RPC.auth.groupExists, {
      caller: { accessToken: onBehalfOf?.accessToken },
      params: { groupId },
    });
    return answer.exists;
  }
}
