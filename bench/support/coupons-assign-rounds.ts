/**
 * The coupons benchmark's assignment rounds: through the gateway from a small and a big book,
 * the raw-driver baseline and the use case in-process, alternating, so that all four see the
 * machine's drift alike. Each platform round also reports the servers' CPU and mongod's
 * operations per assignment; the raw round, its own.
 */
import type { ChildProcess } from 'node:child_process';
import type { Db, MongoClient } from 'mongodb';
import { RAW_OUTBOX, createOutboxCopy, rawAssignments } from './coupons-assign-raw';
import { IN_PROCESS_OUTBOX, inProcessAssignments } from './coupons-in-process';
import { cpuMicros, opsPerRequest, topCounts } from './coupons-probes';
import { runLoad } from './load-generator';
import { median, round } from './stats';

export interface AssignRoundsSpec {
  client: MongoClient;
  db: Db;
  mongoUri: string;
  dbName: string;
  gatewayPort: number;
  /** The server processes whose CPU is counted, by role. */
  servers: Record<string, ChildProcess>;
  /** One member's access token per connection. */
  memberTokens: string[];
  smallBookId: string;
  bigBookId: string;
  /** The books' maxCodesPerUser, which the raw baseline checks as the platform does. */
  maxCodesPerUser: number;
  warmupMs: number;
  seconds: number;
  rounds: number;
  progress(msg: string): void;
}

export async function assignRounds(spec: AssignRoundsSpec) {
  const { client, db, servers, warmupMs } = spec;
  const durationMs = spec.seconds * 1000;
  // Over warm-up and window, per assignment counted (warm-up ones too, at the window's rate).
  const perAssignment = (counted: number) => counted * (1 + warmupMs / durationMs);
  await createOutboxCopy(db, RAW_OUTBOX);
  await createOutboxCopy(db, IN_PROCESS_OUTBOX);
  const serversCpu = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(servers).map(async ([role, c]) => [role, await cpuMicros(c)] as const),
      ),
    );

  const platform = async (couponBookId: string) => {
    const cpu0 = await serversCpu();
    const top0 = await topCounts(client, spec.dbName);
    const result = await runLoad({
      host: '127.0.0.1',
      port: spec.gatewayPort,
      connections: spec.memberTokens.length,
      requests: spec.memberTokens.map((t) => ({
        method: 'POST' as const,
        path: `/v1/coupon-books/${couponBookId}/assignments`,
        headers: { Authorization: `Bearer ${t}` },
      })),
      expectStatus: 201,
      warmupMs,
      durationMs,
    });
    const top1 = await topCounts(client, spec.dbName);
    const cpu1 = await serversCpu();
    const answered = perAssignment(result.requests);
    const cpuUs = Object.fromEntries(
      Object.keys(servers).map((role) => [role, Math.round((cpu1[role] - cpu0[role]) / answered)]),
    );
    return { ...result, cpuUs, mongodOps: opsPerRequest(top0, top1, answered) };
  };
  const raw = async () => {
    const top0 = await topCounts(client, spec.dbName);
    const result = await rawAssignments({
      client,
      db,
      couponBookId: spec.bigBookId,
      limit: spec.maxCodesPerUser,
      sessions: spec.memberTokens.length,
      warmupMs,
      durationMs,
    });
    const top1 = await topCounts(client, spec.dbName);
    return { ...result, mongodOps: opsPerRequest(top0, top1, perAssignment(result.assignments)) };
  };
  const inProcess = () =>
    inProcessAssignments({
      mongoUri: spec.mongoUri,
      dbName: spec.dbName,
      couponBookId: spec.bigBookId,
      sessions: spec.memberTokens.length,
      warmupMs,
      durationMs,
    });

  const all = {
    small: [] as Awaited<ReturnType<typeof platform>>[],
    big: [] as Awaited<ReturnType<typeof platform>>[],
    raw: [] as Awaited<ReturnType<typeof raw>>[],
    inProcess: [] as Awaited<ReturnType<typeof inProcess>>[],
  };
  for (let r = 0; r < spec.rounds; r++) {
    spec.progress(`assignments, round ${r + 1}/${spec.rounds}: small book, big book, raw, in-process`);
    const [s, b, x, y] = [
      await platform(spec.smallBookId),
      await platform(spec.bigBookId),
      await raw(),
      await inProcess(),
    ];
    all.small.push(s);
    all.big.push(b);
    all.raw.push(x);
    all.inProcess.push(y);
    spec.progress(
      `  small ${s.perSecond}/s, big ${b.perSecond}/s (p50 ${b.p50Ms} ms, CPU µs ${JSON.stringify(b.cpuUs)}, ` +
        `mongod ops ${JSON.stringify(b.mongodOps)}), raw ${round(x.perSecond, 1)}/s ` +
        `(CPU µs ${round(x.cpuUs, 0)}, mongod ops ${JSON.stringify(x.mongodOps)}), ` +
        `in-process ${round(y.perSecond, 1)}/s (CPU µs ${round(y.cpuUs, 0)})`,
    );
  }

  const platformSummary = (results: Awaited<ReturnType<typeof platform>>[]) => ({
    perSecond: round(median(results.map((x) => x.perSecond)), 1),
    p50Ms: round(median(results.map((x) => x.p50Ms)), 1),
    p99Ms: round(median(results.map((x) => x.p99Ms)), 1),
    errors: results.reduce((n, x) => n + x.errors, 0),
    rounds: results.map((x) => round(x.perSecond, 1)),
    cpuUsPerAssignment: Object.fromEntries(
      Object.keys(servers).map((role) => [role, median(results.map((x) => x.cpuUs[role]))]),
    ),
    mongodOpsPerAssignment: results[results.length - 1].mongodOps,
  });
  const baselineSummary = (results: Array<{ perSecond: number; errors: number; cpuUs: number }>) => ({
    perSecond: round(median(results.map((x) => x.perSecond)), 1),
    rounds: results.map((x) => round(x.perSecond, 1)),
    errors: results.reduce((n, x) => n + x.errors, 0),
    cpuUsPerAssignment: round(median(results.map((x) => x.cpuUs)), 0),
  });
  return {
    small: platformSummary(all.small),
    big: platformSummary(all.big),
    raw: { ...baselineSummary(all.raw), mongodOpsPerAssignment: all.raw[all.raw.length - 1].mongodOps },
    inProcess: baselineSummary(all.inProcess),
  };
}
