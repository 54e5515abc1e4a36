import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RPC, type TokenRevocationListDto } from '@lib/contracts';
import { RpcPayload, type ValidRpcRequest } from '@lib/messaging';
import { ListTokenRevocationsHandler } from './list-token-revocations/list-token-revocations.handler';

/**
 * The revocation list, for every app's token verifier. No caller: verifiers ask for it before they
 * can verify anything, and it holds only ids and times. The gateway has no route to it.
 */
@Controller()
export class RevocationsRpcController {
  constructor(private readonly listRevocations: ListTokenRevocationsHandler) {}

  @MessagePattern(RPC.auth.tokenRevocations)
  tokenRevocations(@RpcPayload() _req: ValidRpcRequest): Promise<TokenRevocationListDto> {
    return this.listRevocations.execute();
  }
}
