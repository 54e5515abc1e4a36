import { Injectable } from '@nestjs/common';
import type { RpcRequest, RpcService } from '@lib/contracts';
import { RpcClient } from '@lib/messaging';

export interface Forwarded {
  /** The caller's bearer token, re-verified by the service. */
  accessToken?: string;
  ip?: string;
  body?: unknown;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
}

/**
 * How controllers reach services: one RPC with the caller's token and the validated input. A
 * service's DomainError comes back as the same error and the problem filter maps it once.
 */
@Injectable()
export class ServiceClient {
  constructor(private readonly rpc: RpcClient) {}

  call<T>(service: RpcService, pattern: string, input: Forwarded = {}): Promise<T> {
    const request: RpcRequest = {
      caller: { accessToken: input.accessToken, ip: input.ip },
      body: input.body,
      params: input.params,
      query: input.query,
    };
    return this.rpc.send<T>(service, pattern, request);
  }
}
