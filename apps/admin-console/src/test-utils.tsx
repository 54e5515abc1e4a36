// For component tests only: a signed-in console over a scripted API, no network.
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { SessionProvider } from './api/context';
import { Session } from './api/session';

export interface Call {
  method: string;
  path: string;
  body?: unknown;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (call: Call) => Reply | Promise<Reply>;

/** `routes['GET /v1/admin/users?query=x']` answers that call; unlisted calls are 404 problems. */
export function scriptedApi(routes: Record<string, Handler | Reply>) {
  const calls: Call[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const method = init?.method ?? 'GET';
    const path = urlOf(input);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const call = { method, path, body };
    calls.push(call);
    const route = routes[`${method} ${path}`] ?? routes[`${method} ${path.split('?')[0]}`];
    const reply: Reply = route
      ? typeof route === 'function'
        ? await route(call)
        : route
      : { status: 404, body: { code: 'NOT_FOUND', detail: `no route ${method} ${path}` } };
    const contentType = reply.status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(reply.status === 204 ? null : JSON.stringify(reply.body ?? {}), {
      status: reply.status,
      headers: { 'content-type': contentType, ...reply.headers },
    });
  };
  return { fetchFn, calls };
}

/** The path of what fetch() was given (the console always passes a string path). */
export function urlOf(input: RequestInfo | URL): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

export const TOKENS = {
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
  tokenType: 'Bearer',
  expiresIn: 1800,
};
export const ADMIN_ME = { userId: 'admin-id', username: 'chief', roles: ['admin'] };

/** Renders `ui` for a signed-in admin; returns the recorded API calls. */
export async function renderSignedIn(ui: ReactElement, routes: Record<string, Handler | Reply>) {
  const api = scriptedApi({
    'POST /v1/auth/login': { status: 200, body: TOKENS },
    'GET /v1/me': { status: 200, body: ADMIN_ME },
    ...routes,
  });
  const session = new Session(api.fetchFn);
  await session.signIn('chief', 'pw');
  api.calls.length = 0;
  const view = render(<SessionProvider session={session}>{ui}</SessionProvider>);
  return { ...view, calls: api.calls, session };
}

/** A problem+json 400 naming fields, as the gateway's validation answers. */
export function validationFailed(errors: Array<{ field: string; message: string }>): Reply {
  return {
    status: 400,
    body: {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'Invalid request',
      errors,
    },
  };
}
