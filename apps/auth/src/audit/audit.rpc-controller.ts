import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AuditLogQueryDto, RPC } from '@lib/contracts';
import { CallerVerifier } from '@lib/jwt';
import { RpcPayload, type ValidRpcRequest } from '@lib/messaging';
import { readPageRequest } from '@lib/paging';
import { ListAuditLogHandler } from './list-audit-log/list-audit-log.handler';
import { VerifyAuditChainHandler } from './verify-audit-chain/verify-audit-chain.handler';

/** The audit log is read-only over RPC too: admins list it and verify its chain, nothing else. */
@Controller()
export class AuditRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly listAudit: ListAuditLogHandler,
    private readonly verifyAudit: VerifyAuditChainHandler,
  ) {}

  @MessagePattern(RPC.auth.listAuditLogs)
  async listAuditLogs(
    @RpcPayload({ query: AuditLogQueryDto }) req: ValidRpcRequest<never, AuditLogQueryDto>,
  ) {
    const page = readPageRequest(req.query);
    await this.callers.caller(req, 'admin');
    return this.listAudit.execute(req.query, page);
  }

  @MessagePattern(RPC.auth.verifyAuditLog)
  async verifyAuditLog(@RpcPayload() req: ValidRpcRequest) {
    await this.callers.caller(req, 'admin');
    return this.verifyAudit.execute();
  }
}
