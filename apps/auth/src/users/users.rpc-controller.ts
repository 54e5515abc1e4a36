import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  AdminUserQueryDto,
  EnrollUserDto,
  MemberParamsDto,
  RegisterDto,
  RPC,
  UpdateUserDto,
  UserIdParamDto,
  type MemberLookupDto,
} from '@lib/contracts';
import { CallerVerifier, client } from '@lib/jwt';
import { RpcPayload, type ValidRpcRequest } from '@lib/messaging';
import { readPageRequest } from '@lib/paging';
import { EnrollUserHandler } from './enroll-user/enroll-user.handler';
import { ListUsersHandler } from './list-users/list-users.handler';
import { UsersQueries } from './queries/users.queries';
import { RegisterUserHandler } from './register-user/register-user.handler';
import { RegistrationLimit } from './services/registration-limit';
import { UpdateUserHandler } from './update-user/update-user.handler';

/**
 * Registration, the caller's own account, the administration of accounts, and the member look-up
 * of API clients. Every request is checked against the gateway's DTOs first; the caller comes from
 * the re-verified token only, and each RPC re-checks there who may call it (no access list: people
 * only, never an API client).
 */
@Controller()
export class UsersRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly registerUser: RegisterUserHandler,
    private readonly enrollUser: EnrollUserHandler,
    private readonly updateUserHandler: UpdateUserHandler,
    private readonly listUsersHandler: ListUsersHandler,
    private readonly users: UsersQueries,
    private readonly registrationLimit: RegistrationLimit,
  ) {}

  @MessagePattern(RPC.auth.register)
  async register(@RpcPayload({ body: RegisterDto }) req: ValidRpcRequest<RegisterDto>) {
    // Self-registration always makes a member of a new or the inviting group: roles and a chosen
    // group are an admin's to give (enrollment). RegisterDto has neither, and unknown fields are
    // refused, so none can get this far. Sign-ups are limited per client IP, as the gateway saw it.
    await this.registrationLimit.spend(req.caller?.ip);
    return this.registerUser.execute(req.body);
  }

  @MessagePattern(RPC.auth.me)
  async me(@RpcPayload() req: ValidRpcRequest) {
    const caller = await this.callers.caller(req);
    return this.users.profile(caller.userId);
  }

  @MessagePattern(RPC.auth.listUsers)
  async listUsers(@RpcPayload({ query: AdminUserQueryDto }) req: ValidRpcRequest<never, AdminUserQueryDto>) {
    const page = readPageRequest(req.query);
    await this.callers.caller(req, 'admin');
    return this.listUsersHandler.execute(req.query, page);
  }

  @MessagePattern(RPC.auth.enrollUser)
  async enroll(@RpcPayload({ body: EnrollUserDto }) req: ValidRpcRequest<EnrollUserDto>) {
    const admin = await this.callers.caller(req, 'admin');
    return this.enrollUser.execute(admin, req.body);
  }

  @MessagePattern(RPC.auth.updateUser)
  async updateUser(
    @RpcPayload({ body: UpdateUserDto, params: UserIdParamDto })
    req: ValidRpcRequest<UpdateUserDto, never, UserIdParamDto>,
  ) {
    const admin = await this.callers.caller(req, 'admin');
    return this.updateUserHandler.execute(admin, req.params.userId, req.body);
  }

  /**
   * Loyalty and promotion ask this when an API client names a member (a purchase, a redemption or
   * a voucher at a till), forwarding the client's token: a client with a scope that acts for
   * members, or an admin. Members can't probe for other accounts.
   */
  @MessagePattern(RPC.auth.lookupMember)
  async lookupMember(
    @RpcPayload({ params: MemberParamsDto }) req: ValidRpcRequest<never, never, MemberParamsDto>,
  ): Promise<MemberLookupDto> {
    await this.callers.caller(
      req,
      'admin',
      client('purchases:write'),
      client('redemptions:write'),
      client('vouchers:redeem'),
      client('members:read'),
    );
    return this.users.activeMember(req.params.userId);
  }

  @MessagePattern(RPC.auth.memberStats)
  async memberStats(@RpcPayload() req: ValidRpcRequest) {
    await this.callers.caller(req, 'admin');
    return this.users.memberStats();
  }
}
