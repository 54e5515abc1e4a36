import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContextData {
  requestId: string;
  /** Epoch ms after which whoever asked for this work has stopped waiting (an RPC's deadline). */
  givenUpAt?: number;
}

const storage = new AsyncLocalStorage<RequestContextData>();

/**
 * The request id of the work in progress, carried through async calls. HTTP requests, RPC
 * messages and events each start a context from the id they arrived with, so one id follows a
 * request from the gateway through every service it touches.
 */
export const RequestContext = {
  HEADER: 'x-request-id',
  /** `givenUpAt`: when the caller stops waiting, if it said (epoch ms). */
  run<T>(requestId: string | undefined, fn: () => T, givenUpAt?: number): T {
    const data: RequestContextData = { requestId: sanitize(requestId) ?? randomUUID() };
    if (givenUpAt !== undefined && Number.isFinite(givenUpAt)) data.givenUpAt = givenUpAt;
    return storage.run(data, fn);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
  /**
   * How long the caller still waits for this work, in ms (0 once it has given up), or undefined
   * when nobody set a deadline (an HTTP request, an event). Work passed on (an RPC made for this
   * one) need not be waited for any longer than that.
   */
  msLeft(): number | undefined {
    const givenUpAt = storage.getStore()?.givenUpAt;
    return givenUpAt === undefined ? undefined : Math.max(0, givenUpAt - Date.now());
  },
  /** Whether the caller has stopped waiting: its answer would go unread. */
  callerGaveUp(): boolean {
    return RequestContext.msLeft() === 0;
  },
};

/** Client-supplied ids are echoed in logs and headers: keep them short and printable. */
function sanitize(id: string | undefined): string | undefined {
  if (!id) return undefined;
  return /^[A-Za-z0-9._:-]{1,128}$/.test(id) ? id : undefined;
}
