/**
 * What a coupons benchmark round cost beyond its throughput: the server processes' CPU per request
 * (process.cpuUsage over IPC) and mongod's operations per request on the run's own databases (the
 * `top` command counts per collection, so other databases on a shared mongod don't blur them).
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import type { MongoClient } from 'mongodb';
import { round } from './stats';

export const CPU_MESSAGE = 'cpu';

/** In a server child: answers the coordinator's CPU question. */
export function answerCpuQuestions(): void {
  process.on('message', (msg: { type: string }) => {
    if (msg.type === CPU_MESSAGE) process.send!({ type: CPU_MESSAGE, usage: process.cpuUsage() });
  });
}

/** Microseconds of CPU (user + system) the child has used so far. */
export function cpuMicros(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (msg: { type: string; usage?: NodeJS.CpuUsage }) => {
      if (msg.type !== CPU_MESSAGE) return;
      child.off('message', onMessage);
      resolve(msg.usage!.user + msg.usage!.system);
    };
    child.on('message', onMessage);
    child.send({ type: CPU_MESSAGE });
  });
}

/**
 * BENCH_CPU_PROF=<dir>: profiles this server process (V8's sampling profiler, through the
 * inspector: `--cpu-prof` is refused in NODE_OPTIONS) from the coordinator's first CPU question,
 * the start of the assignment rounds, on; the returned function writes
 * `<dir>/<role>-<pid>.cpuprofile`. Without the variable, a function that does nothing.
 */
export function profileCpuIfAsked(role: string): () => Promise<void> {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return async () => undefined;
  const session = new Session();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (err, result) => (err ? reject(err) : resolve(result))),
    );
  let started: Promise<unknown> | undefined;
  process.on('message', (msg: { type: string }) => {
    if (msg.type !== CPU_MESSAGE || started) return;
    session.connect();
    started = post('Profiler.enable').then(() => post('Profiler.start'));
  });
  return async () => {
    if (!started) return;
    await started;
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(join(dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

type TopCounts = Map<string, Record<string, number>>;
const TOP_KINDS = ['queries', 'getmore', 'insert', 'update', 'remove', 'commands'] as const;

/** mongod's operation counts so far on the collections of the databases named `dbPrefix*`, by collection. */
export async function topCounts(client: MongoClient, dbPrefix: string): Promise<TopCounts> {
  const top = await client.db('admin').command({ top: 1 });
  const out: TopCounts = new Map();
  for (const [ns, row] of Object.entries(top.totals as Record<string, Record<string, { count: number }>>)) {
    if (!ns.startsWith(dbPrefix)) continue;
    const counts: Record<string, number> = {};
    for (const kind of TOP_KINDS) if (row[kind]?.count) counts[kind] = row[kind].count;
    // `outbox` for the run's database itself, `_auth.outbox` for bench_x_auth's (both have one).
    out.set(ns.slice(dbPrefix.length).replace(/^\./, ''), counts);
  }
  return out;
}

/** Operations per request between two samples, by collection, those under 0.05 left out. */
export function opsPerRequest(before: TopCounts, after: TopCounts, requests: number) {
  const out: Record<string, Record<string, number>> = {};
  let total = 0;
  for (const [collection, counts] of after) {
    for (const [kind, count] of Object.entries(counts)) {
      const perRequest = (count - (before.get(collection)?.[kind] ?? 0)) / Math.max(requests, 1);
      if (perRequest < 0.05) continue;
      (out[collection] ??= {})[kind] = round(perRequest, 2);
      total += perRequest;
    }
  }
  return { total: round(total, 2), byCollection: out };
}
