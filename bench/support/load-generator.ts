/**
 * A closed-loop HTTP/1.1 load generator on raw keep-alive sockets, in the spirit of autocannon:
 * each connection sends its next request as soon as the previous response is complete, requests
 * are serialized once up front, and responses are framed by Content-Length (or a chunked body's
 * last chunk) without building any object per response. It runs in a process of its own, so
 * its CPU is not taken from the server under test's event loop (it still shares the machine).
 *
 * Timeline: warm-up (responses not counted), then the measured window. A response counts when it
 * completes inside the window; its latency is from its request's write to its last byte.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** JSON text; Content-Type and Content-Length are added. */
  body?: string;
}

export interface LoadSpec {
  host: string;
  port: number;
  connections: number;
  /** Connection i sends requests[i % requests.length], again and again. */
  requests: RequestSpec[];
  expectStatus: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  /** Responses completed inside the measured window. */
  requests: number;
  /** Of those, responses with another status than expectStatus, plus socket errors. */
  errors: number;
  warmupErrors: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  /** CPU the load generator itself used, as a share of one core, during the whole run. */
  clientCpuShare: number;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const LAST_CHUNK = Buffer.from('\r\n0\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CHUNKED = /\r\ntransfer-encoding:[^\r\n]*chunked/i;
const CONNECTION_CLOSE = /\r\nconnection:[ \t]*close/i;
/** After the window closes, responses still out get this long before their sockets are cut. */
const DRAIN_MS = 10_000;

function serialize(spec: RequestSpec, host: string, port: number): Buffer {
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`, `Host: ${host}:${port}`, 'Connection: keep-alive'];
  for (const [name, value] of Object.entries(spec.headers ?? {})) lines.push(`${name}: ${value}`);
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
  if (body) lines.push('Content-Type: application/json', `Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}

/** A growing array of numbers (milliseconds), sorted once at the end. */
export class Latencies {
  private values = new Float64Array(1 << 16);
  length = 0;
  push(ms: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = ms;
  }
  sorted(): Float64Array {
    return this.values.subarray(0, this.length).sort();
  }
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const requests = spec.requests.map((r) => serialize(r, spec.host, spec.port));
  const latencies = new Latencies();
  const statuses: Record<string, number> = {};
  let errors = 0;
  let warmupErrors = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const windowStart = t0 + spec.warmupMs;
  const windowEnd = windowStart + spec.durationMs;
  let open = spec.connections;

  return new Promise<LoadResult>((resolve) => {
    const sockets = new Set<net.Socket>();
    const finish = () => {
      clearTimeout(drainTimer);
      for (const socket of sockets) socket.destroy();
      const elapsedCpu = process.cpuUsage(cpu0);
      const sorted = latencies.sorted();
      const n = sorted.length;
      const pct = (p: number) => (n ? round(sorted[Math.max(0, Math.ceil((p / 100) * n) - 1)], 3) : NaN);
      resolve({
        requests: n,
        errors,
        warmupErrors,
        perSecond: Math.round(n / (spec.durationMs / 1000)),
        p50Ms: pct(50),
        p90Ms: pct(90),
        p99Ms: pct(99),
        maxMs: n ? round(sorted[n - 1], 3) : NaN,
        statuses,
        clientCpuShare: round((elapsedCpu.user + elapsedCpu.system) / 1000 / (performance.now() - t0), 2),
      });
    };
    const drainTimer = setTimeout(
      () => {
        errors += open; // responses that never came
        open = 0;
        finish();
      },
      spec.warmupMs + spec.durationMs + DRAIN_MS,
    );

    const done = () => {
      if (--open === 0) finish();
    };

    const failed = (now: number) => {
      if (now >= windowStart && now < windowEnd) errors++;
      else if (now < windowStart) warmupErrors++;
    };

    const connection = (request: Buffer) => {
      let buffered: Buffer | undefined;
      let sentAt = 0;
      let finished = false;
      const socket = net.connect({ host: spec.host, port: spec.port, noDelay: true });
      sockets.add(socket);
      const send = () => {
        sentAt = performance.now();
        socket.write(request);
      };
      const stop = () => {
        if (finished) return;
        finished = true;
        sockets.delete(socket);
        socket.destroy();
        done();
      };
      const reconnect = () => {
        if (finished) return;
        finished = true;
        sockets.delete(socket);
        socket.destroy();
        if (performance.now() >= windowEnd) return done();
        setTimeout(() => connection(request), 10);
      };
      socket.on('connect', send);
      socket.on('error', () => {
        failed(performance.now());
        reconnect();
      });
      socket.on('close', reconnect);
      socket.on('data', (chunk: Buffer) => {
        buffered = buffered ? Buffer.concat([buffered, chunk]) : chunk;
        const headEnd = buffered.indexOf(CRLF2);
        if (headEnd < 0) return;
        const head = buffered.toString('latin1', 0, headEnd);
        let end: number;
        const length = CONTENT_LENGTH.exec(head);
        if (length) {
          end = headEnd + 4 + Number(length[1]);
          if (buffered.length < end) return;
        } else if (CHUNKED.test(head)) {
          const last = buffered.indexOf(LAST_CHUNK, headEnd + 2);
          if (last < 0) return;
          end = last + LAST_CHUNK.length;
        } else {
          end = headEnd + 4; // 204/304: no body
        }
        const now = performance.now();
        const status = head.slice(9, 12);
        if (buffered.length > end) {
          // Nothing is pipelined: a longer answer is a framing we don't understand.
          failed(now);
          return reconnect();
        }
        buffered = undefined;
        if (now >= windowStart && now < windowEnd) {
          latencies.push(now - sentAt);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (Number(status) !== spec.expectStatus) errors++;
        } else if (now < windowStart && Number(status) !== spec.expectStatus) {
          warmupErrors++;
        }
        if (now >= windowEnd) return stop();
        if (CONNECTION_CLOSE.test(head)) return reconnect();
        send();
      });
    };

    for (let i = 0; i < spec.connections; i++) connection(requests[i % requests.length]);
  });
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
