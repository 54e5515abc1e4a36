import { Controller, Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';

/**
 * Liveness over RPC for one service: lets the gateway, tests and the benchmark measure a real
 * round trip through the messaging lib.
 */
export function pingRpcController(service: string, pattern: string): Type<unknown> {
  @Controller()
  class PingRpcController {
    @MessagePattern(pattern)
    ping(): { service: string; at: string } {
      return { service, at: new Date().toISOString() };
    }
  }
  return PingRpcController;
}
