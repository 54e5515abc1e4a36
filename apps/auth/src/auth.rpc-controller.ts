import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { JSONWebKeySet } from 'jose';
import { RPC, RpcRequest } from '@lib/contracts';
import type { LoginDto, RefreshTokenDto, RegisterDto } from '@lib/contracts';
import { NotFound } from '@lib/errors';
import { CallerVerifier } from '@lib/jwt';
import { CreateInviteHandler } from './groups/create-invite.handler';
import { GroupsRepository } from './groups/groups.repository';
import { MAX_GROUP_MEMBERS } from './groups/domain/group';
import { KeyStore } from './keys/key-store';
import { LogInHandler } from './sessions/log-in.handler';
import { RefreshSessionHandler } from './sessions/refresh-session.handler';
import { toProfile } from './users/domain/user';
import { RegisterUserHandler } from './users/register-user.handler';
import { UsersRepository } from './users/users.repository';

/** Maps the identity RPCs to use cases. The caller of a user-scoped RPC comes from its token only. */
@Controller()
export class AuthRpcController {
  constructor(
    private readonly keys: KeyStore,
    private readonly callers: CallerVerifier,
    private readonly registerUser: RegisterUserHandler,
    private readonly logIn: LogInHandler,
    private readonly sessions: RefreshSessionHandler,
    private readonly createInvite: CreateInviteHandler,
    private readonly users: UsersRepository,
    private readonly groups: GroupsRepository,
  ) {}

  @MessagePattern(RPC.auth.jwks)
  jwks(): JSONWebKeySet {
    return this.keys.jwks();
  }

  @MessagePattern(RPC.auth.register)
  register(@Payload() req: RpcRequest<RegisterDto>) {
    // Self-registration always makes a member of a new or inviting group: roles and a chosen
    // group are an admin's to give (enrollment), so any that slipped past the gateway's whitelist
    // are dropped here too.
    const {
      roles: _roles,
      groupId: _group,
      ...body
    } = req.body as RegisterDto & {
      roles?: unknown;
      groupId?: unknown;
    };
    return this.registerUser.execute(body);
  }

  @MessagePattern(RPC.auth.login)
  login(@Payload() req: RpcRequest<LoginDto>) {
    const body = req.body as LoginDto;
    return this.logIn.execute({ username: body.username, password: body.password, ip: req.caller?.ip });
  }

  @MessagePattern(RPC.auth.refresh)
  refresh(@Payload() req: RpcRequest<RefreshTokenDto>) {
    return this.sessions.refresh((req.body as RefreshTokenDto).refreshToken);
  }

  @MessagePattern(RPC.auth.logout)
  async logout(@Payload() req: RpcRequest<RefreshTokenDto>): Promise<{ loggedOut: true }> {
    await this.sessions.logout((req.body as RefreshTokenDto).refreshToken);
    return { loggedOut: true };
  }

  @MessagePattern(RPC.auth.me)
  async me(@Payload() req: RpcRequest) {
    const caller = await this.callers.caller(req);
    const user = await this.users.findById(caller.userId);
    if (!user) throw new NotFound('user');
    return toProfile(user);
  }

  @MessagePattern(RPC.auth.myGroup)
  async myGroup(@Payload() req: RpcRequest) {
    const caller = await this.callers.caller(req);
    const group = await this.groups.findById(caller.groupId);
    if (!group || !group.members.some((m) => m.userId === caller.userId)) throw new NotFound('group');
    return {
      groupId: group.groupId,
      maxMembers: MAX_GROUP_MEMBERS,
      members: group.members.map((m) => ({ userId: m.userId, username: m.username })),
    };
  }

  @MessagePattern(RPC.auth.createInvite)
  async invite(@Payload() req: RpcRequest) {
    return this.createInvite.execute(await this.callers.caller(req));
  }
}
