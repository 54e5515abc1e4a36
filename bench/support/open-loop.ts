/**
 * An open-loop HTTP/1.1 load generator on raw keep-alive sockets. Request i is due at
 * t0 + i / rate, whatever happened to the requests before it: a timer releases every request that
 * is due, each goes out on an idle connection of the pool, or a new one when all are busy (up to
 * `maxConnections`; past that it waits on the client side, counted in `capHits`).
 *
 * Each latency runs from the request's SCHEDULED time to the last byte of its response. A closed
 * loop measures from the actual write, so a stalled server also stalls the requests that would
 * have been sent meanwhile, and their wait is never seen (coordinated omission); here a stall
 * shows up in every request that was due during it, as a real client arriving at that time would
 * see it.
 *
 * Timeline: warm-up at the same rate (not counted), then the measured window. A request counts
 * when it was SCHEDULED inside the window, however late its response; responses still out
 * `drainMs` after the window are counted as unanswered. All latencies are kept (a Float64Array,
 * sorted at the end): a few hundred thousand samples cost a few MB.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { RequestSpec } from './load-generator';
import { Latencies } from './load-generator';

export type { RequestSpec } from './load-generator';

export interface OpenLoopSpec {
  host: string;
  port: number;
  /** Requests released per second, evenly spaced. */
  ratePerSecond: number;
  warmupMs: number;
  durationMs: number;
  /** Request i (from 0, over warm-up and window): a new business id each time if need be. */
  request(i: number): RequestSpec;
  expectStatus: number;
  /** The pool's cap; requests due while every connection is busy past it wait their turn. */
  maxConnections: number;
  /** How long responses still out after the window are waited for (10 s). */
  drainMs?: number;
  /** Every response, warm-up included: for tests and diagnostics. */
  onResponse?(i: number, latencyMs: number, status: number): void;
}

export interface OpenLoopResult {
  offeredPerSecond: number;
  /**
   * The window's requests answered (any status), per second from the window's start to the last
   * answer (or the window's end, if later): below offeredPerSecond when the server fell behind.
   */
  achievedPerSecond: number;
  /** Requests scheduled inside the window, and how many of them got a response. */
  scheduled: number;
  completed: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  /** Of the window's requests: another status than expectStatus, socket errors, unanswered. */
  errors: number;
  socketErrors: number;
  unanswered: number;
  /** Requests that found the pool at its cap and waited on the client side. */
  capHits: number;
  connectionsOpened: number;
  /** How late the window's requests were written after their scheduled time (client-side lag). */
  sendLagP99Ms: number;
  sendLagMaxMs: number;
  /** CPU this generator used, as a share of one core, during the whole run. */
  clientCpuShare: number;
}

/** Which request indexes a run schedules: [0, total), of which [firstMeasured, total) count. */
export function schedule(
  ratePerSecond: number,
  warmupMs: number,
  durationMs: number,
): { intervalMs: number; firstMeasured: number; total: number } {
  if (!(ratePerSecond > 0)) throw new Error(`rate must be positive, not ${ratePerSecond}`);
  const intervalMs = 1000 / ratePerSecond;
  // Index i is due at i × interval: the first at or after the window's start is measured.
  const firstMeasured = Math.max(0, Math.ceil(warmupMs / intervalMs - 1e-9));
  const total = Math.ceil((warmupMs + durationMs) / intervalMs - 1e-9);
  return { intervalMs, firstMeasured, total };
}

/** The nearest-rank percentile of sorted values (NaN when there are none). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (!n) return NaN;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n - 1e-9) - 1))];
}

const CRLF2 = Buffer.from('\r\n\r\n');
const LAST_CHUNK = Buffer.from('\r\n0\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CHUNKED = /\r\ntransfer-encoding:[^\r\n]*chunked/i;
const CONNECTION_CLOSE = /\r\nconnection:[ \t]*close/i;

function serialize(spec: RequestSpec, host: string, port: number): Buffer {
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`, `Host: ${host}:${port}`, 'Connection: keep-alive'];
  for (const [name, value] of Object.entries(spec.headers ?? {})) lines.push(`${name}: ${value}`);
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
  if (body) lines.push('Content-Type: application/json', `Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}

/** The length of the complete response at the start of `buffered`, or -1 while it is incomplete. */
function responseLength(buffered: Buffer): { end: number; head: string } | undefined {
  const headEnd = buffered.indexOf(CRLF2);
  if (headEnd < 0) return undefined;
  const head = buffered.toString('latin1', 0, headEnd);
  const length = CONTENT_LENGTH.exec(head);
  if (length) {
    const end = headEnd + 4 + Number(length[1]);
    return buffered.length < end ? undefined : { end, head };
  }
  if (CHUNKED.test(head)) {
    const last = buffered.indexOf(LAST_CHUNK, headEnd + 2);
    return last < 0 ? undefined : { end: last + LAST_CHUNK.length, head };
  }
  return { end: headEnd + 4, head }; // 204/304: no body
}

interface Due {
  i: number;
  dueAt: number;
  bytes: Buffer;
}

export function runOpenLoop(spec: OpenLoopSpec): Promise<OpenLoopResult> {
  const { intervalMs, firstMeasured, total } = schedule(spec.ratePerSecond, spec.warmupMs, spec.durationMs);
  const drainMs = spec.drainMs ?? 10_000;
  const latencies = new Latencies();
  const sendLags = new Latencies();
  const statuses: Record<string, number> = {};
  let errors = 0;
  let socketErrors = 0;
  let capHits = 0;
  let connectionsOpened = 0;
  let completed = 0;
  let lastAnsweredAt = 0;
  let outstanding = 0;
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  const idle: Connection[] = [];
  const open = new Set<Connection>();
  const waiting: Due[] = [];
  let waitingHead = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const windowStart = t0 + spec.warmupMs;
  let resolveRun!: (result: OpenLoopResult) => void;
  const done = new Promise<OpenLoopResult>((resolve) => (resolveRun = resolve));

  const answered = (due: Due, status: number | undefined) => {
    const now = performance.now();
    outstanding--;
    if (status !== undefined) spec.onResponse?.(due.i, now - due.dueAt, status);
    if (due.i >= firstMeasured) {
      if (status === undefined) {
        socketErrors++;
        errors++;
      } else {
        completed++;
        lastAnsweredAt = now;
        latencies.push(now - due.dueAt);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status !== spec.expectStatus) errors++;
      }
    }
    if (next >= total && outstanding === 0) finish();
  };

  /** One keep-alive connection: at most one request in flight (no pipelining). */
  class Connection {
    private readonly socket: net.Socket;
    private connected = false;
    private current: Due | undefined;
    private buffered: Buffer | undefined;
    private closed = false;

    constructor() {
      connectionsOpened++;
      open.add(this);
      this.socket = net.connect({ host: spec.host, port: spec.port, noDelay: true });
      this.socket.on('connect', () => {
        this.connected = true;
        if (this.current) this.write(this.current);
      });
      this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
      this.socket.on('error', () => this.close());
      this.socket.on('close', () => this.close());
    }

    send(due: Due): void {
      this.current = due;
      if (this.connected) this.write(due);
    }

    destroy(): void {
      this.closed = true;
      this.socket.destroy();
    }

    private write(due: Due): void {
      if (due.i >= firstMeasured) sendLags.push(performance.now() - due.dueAt);
      this.socket.write(due.bytes);
    }

    private onData(chunk: Buffer): void {
      const due = this.current;
      if (!due) return this.close(); // nothing asked: a framing we don't understand
      this.buffered = this.buffered ? Buffer.concat([this.buffered, chunk]) : chunk;
      const response = responseLength(this.buffered);
      if (!response) return;
      if (this.buffered.length > response.end) return this.close(); // nothing is pipelined
      this.buffered = undefined;
      this.current = undefined;
      answered(due, Number(response.head.slice(9, 12)));
      if (CONNECTION_CLOSE.test(response.head)) return this.close();
      released(this);
    }

    /** The socket is gone: its request (if any) failed, and waiting requests get a new one. */
    private close(): void {
      if (this.closed) return;
      this.closed = true;
      this.socket.destroy();
      open.delete(this);
      const at = idle.indexOf(this);
      if (at >= 0) idle.splice(at, 1);
      const due = this.current;
      this.current = undefined;
      if (due) answered(due, undefined);
      if (!finished && waitingHead < waiting.length) new Connection().send(takeWaiting());
    }
  }

  const takeWaiting = (): Due => {
    const due = waiting[waitingHead++];
    if (waitingHead > 1024 && waitingHead * 2 > waiting.length) {
      waiting.splice(0, waitingHead);
      waitingHead = 0;
    }
    return due;
  };

  const released = (connection: Connection) => {
    if (finished) return;
    if (waitingHead < waiting.length) connection.send(takeWaiting());
    else idle.push(connection);
  };

  const dispatch = (i: number, dueAt: number) => {
    const due: Due = { i, dueAt, bytes: serialize(spec.request(i), spec.host, spec.port) };
    outstanding++;
    const connection = idle.pop();
    if (connection) connection.send(due);
    else if (open.size < spec.maxConnections) new Connection().send(due);
    else {
      capHits++;
      waiting.push(due);
    }
  };

  // Releases every request that is due, then sleeps until the next one is. A late timer only
  // makes those requests late: their latency still counts from when they were due.
  const tick = () => {
    const now = performance.now();
    while (next < total && t0 + next * intervalMs <= now) {
      dispatch(next, t0 + next * intervalMs);
      next++;
    }
    if (next < total) timer = setTimeout(tick, Math.max(0, t0 + next * intervalMs - performance.now()));
    else if (outstanding === 0) finish();
  };

  const drainTimer = setTimeout(finish, spec.warmupMs + spec.durationMs + drainMs);

  function finish(): void {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    clearTimeout(drainTimer);
    // Whatever is still out (or still waiting for a connection) past the drain never answered.
    const unanswered = total - firstMeasured - completed - socketErrors;
    for (const connection of [...open]) connection.destroy();
    const sorted = latencies.sorted();
    const lags = sendLags.sorted();
    const cpu = process.cpuUsage(cpu0);
    const r3 = (v: number) => Math.round(v * 1000) / 1000;
    resolveRun({
      offeredPerSecond: spec.ratePerSecond,
      achievedPerSecond:
        Math.round((completed / Math.max(spec.durationMs, lastAnsweredAt - windowStart)) * 1000 * 10) / 10,
      scheduled: total - firstMeasured,
      completed,
      p50Ms: r3(percentile(sorted, 50)),
      p90Ms: r3(percentile(sorted, 90)),
      p99Ms: r3(percentile(sorted, 99)),
      p999Ms: r3(percentile(sorted, 99.9)),
      maxMs: r3(sorted.length ? sorted[sorted.length - 1] : NaN),
      statuses,
      errors: errors + unanswered,
      socketErrors,
      unanswered,
      capHits,
      connectionsOpened,
      sendLagP99Ms: r3(percentile(lags, 99)),
      sendLagMaxMs: r3(lags.length ? lags[lags.length - 1] : NaN),
      clientCpuShare: Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100) / 100,
    });
  }

  tick();
  return done;
}
