// The bench build (tsconfig.bench.json) has no Jest globals: they are imported.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile, runOpenLoop, schedule, type OpenLoopSpec } from './open-loop';

/** A local server answering `/r/<i>` at once, except the indexes the test stalls, fails or drops. */
class TestServer {
  readonly bodies = new Map<number, string>();
  readonly remotePorts = new Map<number, number>();
  stallMs = new Map<number, number>();
  failWith = new Map<number, number>();
  neverAnswer = new Set<number>();
  private readonly server = http.createServer((req, res) => {
    const i = Number(req.url!.slice('/r/'.length));
    this.remotePorts.set(i, req.socket.remotePort!);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      this.bodies.set(i, body);
      if (this.neverAnswer.has(i)) return;
      const answer = () => {
        res.writeHead(this.failWith.get(i) ?? 200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ i }));
      };
      const stall = this.stallMs.get(i);
      if (stall) setTimeout(answer, stall);
      else answer();
    });
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('open-loop load generator', () => {
  let server: TestServer;
  let port: number;
  beforeEach(async () => {
    server = new TestServer();
    port = await server.start();
  });
  afterEach(() => server.stop());

  const spec = (over: Partial<OpenLoopSpec>): OpenLoopSpec => ({
    host: '127.0.0.1',
    port,
    ratePerSecond: 100,
    warmupMs: 0,
    durationMs: 500,
    request: (i) => ({ method: 'POST', path: `/r/${i}`, body: JSON.stringify({ n: i }) }),
    expectStatus: 200,
    maxConnections: 64,
    ...over,
  });

  it('schedules requests at i / rate and counts only those due inside the window', () => {
    expect(schedule(100, 1000, 2000)).toEqual({ intervalMs: 10, firstMeasured: 100, total: 300 });
    expect(schedule(3, 0, 1000)).toMatchObject({ firstMeasured: 0, total: 3 });
    expect(() => schedule(0, 0, 1000)).toThrow();
  });

  it('takes nearest-rank percentiles', () => {
    const sorted = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(500);
    expect(percentile(sorted, 99)).toBe(990);
    expect(percentile(sorted, 99.9)).toBe(999);
    expect(percentile(sorted, 100)).toBe(1000);
    expect(percentile([], 50)).toBeNaN();
  });

  it("counts a stalled response's wait in every later request that was due during it", async () => {
    // One connection at most, 10 ms apart, request 10 held 200 ms: requests 11..29 fall due
    // while it is out and wait for it on the client side.
    server.stallMs.set(10, 200);
    const latencies = new Map<number, number>();
    const result = await runOpenLoop(
      spec({ maxConnections: 1, onResponse: (i, ms) => latencies.set(i, ms) }),
    );
    expect(result).toMatchObject({ scheduled: 50, completed: 50, errors: 0, connectionsOpened: 1 });
    expect(result.statuses).toEqual({ '200': 50 });
    expect(result.capHits).toBeGreaterThanOrEqual(19);
    // Measured from the scheduled time, not from the write: request 10 + j waited 200 - 10j ms
    // at least (2 ms for timer granularity).
    for (let j = 0; j < 20; j++) expect(latencies.get(10 + j)).toBeGreaterThanOrEqual(200 - 10 * j - 2);
    expect(result.maxMs).toBeGreaterThanOrEqual(198);
    expect(result.sendLagMaxMs).toBeGreaterThanOrEqual(188);
    expect(result.achievedPerSecond).toBeLessThanOrEqual(result.offeredPerSecond);
  });

  it('opens another connection rather than queue behind a busy one, and sends each its own body', async () => {
    server.stallMs.set(10, 200);
    const result = await runOpenLoop(spec({}));
    expect(result).toMatchObject({ scheduled: 50, completed: 50, errors: 0, capHits: 0 });
    expect(result.connectionsOpened).toBeGreaterThanOrEqual(2);
    expect(server.remotePorts.get(11)).not.toBe(server.remotePorts.get(10));
    for (let i = 0; i < 50; i++) expect(JSON.parse(server.bodies.get(i)!)).toEqual({ n: i });
  });

  it('leaves warm-up out, and counts unexpected statuses and unanswered requests as errors', async () => {
    server.failWith.set(3, 503); // warm-up: not counted
    server.failWith.set(30, 503);
    server.neverAnswer.add(40);
    const result = await runOpenLoop(spec({ warmupMs: 200, durationMs: 300, drainMs: 100 }));
    expect(result).toMatchObject({ scheduled: 30, completed: 29, unanswered: 1, errors: 2 });
    expect(result.statuses).toEqual({ '200': 28, '503': 1 });
  });
});
