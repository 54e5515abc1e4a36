import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContextData {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContextData>();

/**
 * The request id of the work in progress, carried through async calls. HTTP requests, RPC
 * messages and events each start a context from the id they arrived with, so one id follows a
 * request from the gateway through every service it touches.
 */
export const RequestContext = {
  HEADER: 'x-request-id',
  run<T>(requestId: string | undefined, fn: () => T): T {
    return storage.run({ requestId: sanitize(requestId) ?? randomUUID() }, fn);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};

/** Client-supplied ids are echoed in logs and headers: keep them short and printable. */
function sanitize(id: string | undefined): string | undefined {
  if (!id) return undefined;
  return /^[A-Za-z0-9._:-]{1,128}$/.test(id) ? id : undefined;
}
