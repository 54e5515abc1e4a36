/**
 * The four paths of the latency benchmark, each as a closed-loop run (its maximum throughput,
 * with the generator the other benchmarks measure it with) and as the open-loop request i.
 * Every create carries a business id of its own: a repeated id would be an idempotent replay,
 * which is another, cheaper path.
 */
import { runLoad, type RequestSpec } from './load-generator';
import type { Member } from './latency-setup';
import { runHttpLoad } from './points-http-load';

export const PATH_NAMES = ['purchases', 'redemptions', 'me', 'assignments'] as const;
export type PathName = (typeof PATH_NAMES)[number];

export interface PathContext {
  port: number;
  runId: string;
  /** The till's token: an API client with `purchases:write`. */
  till: string;
  members: Member[];
  couponBookId: string;
}

export interface ClosedLoopFigure {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LatencyPath {
  name: PathName;
  /** What is measured, for the figure's layout. */
  route: string;
  /** The closed loop's connections: the other benchmarks' figure for this path. */
  connections: number;
  expectStatus: number;
  closedLoop(ctx: PathContext, window: { warmupMs: number; durationMs: number }): Promise<ClosedLoopFigure>;
  request(ctx: PathContext, i: number): RequestSpec;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const member = (ctx: PathContext, i: number) => ctx.members[i % ctx.members.length];

/** Raw-socket closed loop (support/load-generator.ts) for requests that can repeat. */
const repeatable = async (
  ctx: PathContext,
  connections: number,
  expectStatus: number,
  window: { warmupMs: number; durationMs: number },
  requests: RequestSpec[],
): Promise<ClosedLoopFigure> => {
  const r = await runLoad({
    host: '127.0.0.1',
    port: ctx.port,
    connections,
    requests,
    expectStatus,
    ...window,
  });
  return {
    requests: r.requests,
    errors: r.errors + r.warmupErrors,
    statuses: r.statuses,
    perSecond: r.perSecond,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
  };
};

export const LATENCY_PATHS: Record<PathName, LatencyPath> = {
  purchases: {
    name: 'purchases',
    route: 'POST /v1/purchases by the till, naming the members in turn (one group each)',
    connections: 64,
    expectStatus: 201,
    closedLoop: (ctx, window) =>
      runHttpLoad({
        port: ctx.port,
        path: '/v1/purchases',
        connections: 64,
        token: () => ctx.till,
        body: (c, n) => ({
          purchaseId: `max-${ctx.runId}-${c}-${n}`,
          userId: member(ctx, c).userId,
          amount: '12.50',
        }),
        expectStatus: 201,
        ...window,
      }),
    request: (ctx, i) => ({
      method: 'POST',
      path: '/v1/purchases',
      headers: bearer(ctx.till),
      body: JSON.stringify({
        purchaseId: `open-${ctx.runId}-${i}`,
        userId: member(ctx, i).userId,
        amount: '12.50',
      }),
    }),
  },
  redemptions: {
    name: 'redemptions',
    route: 'POST /v1/redemptions of 1 point by the members in turn (one group each)',
    connections: 64,
    expectStatus: 201,
    closedLoop: (ctx, window) =>
      runHttpLoad({
        port: ctx.port,
        path: '/v1/redemptions',
        connections: 64,
        token: (c) => member(ctx, c).token,
        body: (c, n) => ({ redemptionId: `max-${ctx.runId}-${c}-${n}`, points: 1 }),
        expectStatus: 201,
        ...window,
      }),
    request: (ctx, i) => ({
      method: 'POST',
      path: '/v1/redemptions',
      headers: bearer(member(ctx, i).token),
      body: JSON.stringify({ redemptionId: `open-${ctx.runId}-${i}`, points: 1 }),
    }),
  },
  me: {
    name: 'me',
    route: 'GET /v1/me by the members in turn',
    connections: 64,
    expectStatus: 200,
    closedLoop: (ctx, window) =>
      repeatable(
        ctx,
        64,
        200,
        window,
        ctx.members.map((m) => ({ method: 'GET', path: '/v1/me', headers: bearer(m.token) })),
      ),
    request: (ctx, i) => ({ method: 'GET', path: '/v1/me', headers: bearer(member(ctx, i).token) }),
  },
  assignments: {
    name: 'assignments',
    route: 'POST /v1/coupon-books/{id}/assignments by the members in turn, one book',
    connections: 32,
    expectStatus: 201,
    closedLoop: (ctx, window) =>
      repeatable(
        ctx,
        32,
        201,
        window,
        ctx.members.map((m) => ({
          method: 'POST',
          path: `/v1/coupon-books/${ctx.couponBookId}/assignments`,
          headers: bearer(m.token),
        })),
      ),
    request: (ctx, i) => ({
      method: 'POST',
      path: `/v1/coupon-books/${ctx.couponBookId}/assignments`,
      headers: bearer(member(ctx, i).token),
    }),
  },
};
