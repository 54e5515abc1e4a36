import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { LoginDto, RefreshTokenDto, RPC } from '@lib/contracts';
import { RpcPayload, type ValidRpcRequest } from '@lib/messaging';
import { LogInHandler } from './log-in/log-in.handler';
import { LogOutHandler } from './log-out/log-out.handler';
import { RefreshSessionHandler } from './refresh-session/refresh-session.handler';

/** Login, refresh and logout: the credentials or the refresh token are the only input. */
@Controller()
export class SessionsRpcController {
  constructor(
    private readonly logIn: LogInHandler,
    private readonly refreshSession: RefreshSessionHandler,
    private readonly logOut: LogOutHandler,
  ) {}

  @MessagePattern(RPC.auth.login)
  login(@RpcPayload({ body: LoginDto }) req: ValidRpcRequest<LoginDto>) {
    // The client's address as the gateway saw it: failed logins are limited per IP too.
    const { username, password } = req.body;
    return this.logIn.execute({ username, password, ip: req.caller?.ip });
  }

  @MessagePattern(RPC.auth.refresh)
  refresh(@RpcPayload({ body: RefreshTokenDto }) req: ValidRpcRequest<RefreshTokenDto>) {
    return this.refreshSession.execute(req.body.refreshToken);
  }

  @MessagePattern(RPC.auth.logout)
  logout(@RpcPayload({ body: RefreshTokenDto }) req: ValidRpcRequest<RefreshTokenDto>) {
    return this.logOut.execute(req.body.refreshToken);
  }
}
