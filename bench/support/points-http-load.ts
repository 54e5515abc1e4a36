/**
 * A closed-loop HTTP/1.1 load for the points benchmark: `connections` keep-alive sockets, each
 * sending its next request as soon as the previous answer is in. Unlike support/load-generator.ts
 * every request has a body of its own (idempotent creates need a new business id each time), made
 * by `body(connection, n)`. Warm-up answers are not counted.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpLoadSpec {
  port: number;
  path: string;
  connections: number;
  /** The Authorization header of connection i. */
  token(connection: number): string;
  body(connection: number, n: number): unknown;
  expectStatus: number;
  warmupMs: number;
  durationMs: number;
}

export interface HttpLoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

function post(agent: http.Agent, port: number, path: string, token: string, body: string) {
  return new Promise<number>((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function runHttpLoad(spec: HttpLoadSpec): Promise<HttpLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const t0 = performance.now();
  const windowStart = t0 + spec.warmupMs;
  const windowEnd = windowStart + spec.durationMs;
  const loop = async (connection: number) => {
    for (let n = 0; performance.now() < windowEnd; n++) {
      const body = JSON.stringify(spec.body(connection, n));
      const sent = performance.now();
      let status = 0;
      try {
        status = await post(agent, spec.port, spec.path, spec.token(connection), body);
      } catch {
        status = 0;
      }
      const done = performance.now();
      if (done < windowStart || done >= windowEnd) continue;
      latencies.push(done - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== spec.expectStatus) errors++;
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, (_, i) => loop(i)));
  agent.destroy();
  return summarize(latencies, errors, statuses, spec.durationMs);
}

export function summarize(
  latencies: number[],
  errors: number,
  statuses: Record<string, number>,
  durationMs: number,
): HttpLoadResult {
  const sorted = Float64Array.from(latencies).sort();
  const n = sorted.length;
  const pct = (p: number) =>
    n ? Math.round(sorted[Math.max(0, Math.ceil((p / 100) * n) - 1)] * 100) / 100 : NaN;
  return {
    requests: n,
    errors,
    statuses,
    perSecond: Math.round(n / (durationMs / 1000)),
    p50Ms: pct(50),
    p90Ms: pct(90),
    p99Ms: pct(99),
    maxMs: n ? Math.round(sorted[n - 1] * 100) / 100 : NaN,
  };
}
