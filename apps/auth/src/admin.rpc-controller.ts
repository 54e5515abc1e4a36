import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC, RpcRequest } from '@lib/contracts';
import type { EnrollUserDto, UpdateUserDto } from '@lib/contracts';
import { CallerVerifier } from '@lib/jwt';
import { ListAuditLogHandler } from './audit/list-audit-log.handler';
import { VerifyAuditChainHandler } from './audit/verify-audit-chain.handler';
import { EnrollUserHandler } from './users/enroll-user.handler';
import { ListUsersHandler } from './users/list-users.handler';
import { MemberStatsHandler } from './users/member-stats.handler';
import { UpdateUserHandler } from './users/update-user.handler';

/** The administration RPCs of auth. Every one needs the admin role, from the re-verified token. */
@Controller()
export class AdminRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly listUsersHandler: ListUsersHandler,
    private readonly enrollUser: EnrollUserHandler,
    private readonly updateUserHandler: UpdateUserHandler,
    private readonly listAudit: ListAuditLogHandler,
    private readonly verifyAudit: VerifyAuditChainHandler,
    private readonly memberStatsHandler: MemberStatsHandler,
  ) {}

  @MessagePattern(RPC.auth.listUsers)
  async listUsers(@Payload() req: RpcRequest) {
    await this.callers.caller(req, 'admin');
    return this.listUsersHandler.execute(req.query ?? {});
  }

  @MessagePattern(RPC.auth.enrollUser)
  async enroll(@Payload() req: RpcRequest<EnrollUserDto>) {
    const admin = await this.callers.caller(req, 'admin');
    return this.enrollUser.execute(admin, req.body as EnrollUserDto);
  }

  @MessagePattern(RPC.auth.updateUser)
  async updateUser(@Payload() req: RpcRequest<UpdateUserDto>) {
    const admin = await this.callers.caller(req, 'admin');
    const { email, phone, fullName, status, roles } = req.body ?? {};
    return this.updateUserHandler.execute(admin, String(req.params?.userId ?? ''), {
      email,
      phone,
      fullName,
      status,
      roles,
    });
  }

  @MessagePattern(RPC.auth.listAuditLogs)
  async listAuditLogs(@Payload() req: RpcRequest) {
    await this.callers.caller(req, 'admin');
    return this.listAudit.execute(req.query ?? {});
  }

  @MessagePattern(RPC.auth.verifyAuditLog)
  async verifyAuditLog(@Payload() req: RpcRequest) {
    await this.callers.caller(req, 'admin');
    return this.verifyAudit.execute();
  }

  @MessagePattern(RPC.auth.memberStats)
  async memberStats(@Payload() req: RpcRequest) {
    await this.callers.caller(req, 'admin');
    return this.memberStatsHandler.execute();
  }
}
