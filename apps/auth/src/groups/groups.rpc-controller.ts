import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  GroupParamsDto,
  RPC,
  type AdminGroupDto,
  type GroupDto,
  type GroupExistsDto,
  type InviteDto,
} from '@lib/contracts';
import { CallerVerifier, client } from '@lib/jwt';
import { RpcPayload, type ValidRpcRequest } from '@lib/messaging';
import { CreateInviteHandler } from './create-invite/create-invite.handler';
import { GroupsQueries } from './queries/groups.queries';

/**
 * The caller's group and its invites: the group is the one the verified token names, never input.
 * And, for admins and payer-transaction clients only, whether a named group exists (loyalty asks
 * before it acts on one); for admins only, any group with its members (the console's Points page).
 */
@Controller()
export class GroupsRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly groups: GroupsQueries,
    private readonly createInvite: CreateInviteHandler,
  ) {}

  @MessagePattern(RPC.auth.myGroup)
  async myGroup(@RpcPayload() req: ValidRpcRequest): Promise<GroupDto> {
    return this.groups.myGroup(await this.callers.caller(req));
  }

  @MessagePattern(RPC.auth.groupExists)
  async groupExists(
    @RpcPayload({ params: GroupParamsDto }) req: ValidRpcRequest<never, never, GroupParamsDto>,
  ): Promise<GroupExistsDto> {
    // Loyalty asks before a payer transaction: an admin's, or a payer feed's (an API client).
    await this.callers.caller(req, 'admin', client('payer-transactions:write'));
    return this.groups.exists(req.params.groupId);
  }

  @MessagePattern(RPC.auth.getGroup)
  async getGroup(
    @RpcPayload({ params: GroupParamsDto }) req: ValidRpcRequest<never, never, GroupParamsDto>,
  ): Promise<AdminGroupDto> {
    await this.callers.caller(req, 'admin');
    return this.groups.adminView(req.params.groupId);
  }

  @MessagePattern(RPC.auth.createInvite)
  async invite(@RpcPayload() req: ValidRpcRequest): Promise<InviteDto> {
    return this.createInvite.execute(await this.callers.caller(req));
  }
}
