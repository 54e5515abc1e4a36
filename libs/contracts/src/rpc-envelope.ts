import type { WireError } from '@lib/errors';

/** What the gateway knows of the caller, forwarded with every RPC. Services re-verify the token. */
export interface RpcCaller {
  accessToken?: string;
  /** The client's address as the gateway saw it (behind trusted proxies), for per-IP limits. */
  ip?: string;
}

export interface RpcRequest<B = unknown> {
  caller?: RpcCaller;
  body?: B;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
}

export type RpcReply<T = unknown> = { ok: true; data: T } | { ok: false; error: WireError };
