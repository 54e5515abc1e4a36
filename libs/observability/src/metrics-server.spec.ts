import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { createLogger } from './logger';
import { Metrics } from './metrics';
import { MetricsServer } from './metrics-server';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  socket: Socket;
}

/** One request over `agent` (keep-alive when the agent keeps sockets), on 127.0.0.1. */
function ask(port: number, path: string, method = 'GET', agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent }, (res) => {
      const socket = res.socket; // (detached once the agent takes it back)
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, socket }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('MetricsServer: /metrics on a port of its own (METRICS_PORT)', () => {
  const metrics = new Metrics('loyalty', false);
  const logger = createLogger('loyalty', 'silent');
  let server: MetricsServer;
  let port: number;

  beforeEach(async () => {
    server = new MetricsServer(metrics, logger);
    await server.listen(0, '127.0.0.1');
    port = server.port!;
  });
  afterEach(() => server.close());

  it("serves the app's registry in the Prometheus text format", async () => {
    metrics.vouchersIssued.inc(2);
    const res = await ask(port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(metrics.contentType);
    expect(res.body).toContain('vouchers_issued_total{app="loyalty"} 2');
    expect(res.body).toContain('http_request_duration_seconds');
    expect((await ask(port, '/metrics?name[]=x')).status).toBe(200);
    const head = await ask(port, '/metrics', 'HEAD');
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('serves nothing else: other paths are 404, other methods 405', async () => {
    for (const path of ['/', '/health/ready', '/v1/points', '/metrics/x', '/metricsx']) {
      const res = await ask(port, path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body).not.toContain('vouchers_issued_total');
    }
    const post = await ask(port, '/metrics', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it("closes a scraper's kept-alive connection when it closes, and refuses new ones", async () => {
    const agent = new Agent({ keepAlive: true });
    try {
      const first = await ask(port, '/metrics', 'GET', agent);
      const second = await ask(port, '/metrics', 'GET', agent);
      expect(second.socket).toBe(first.socket); // one connection, kept alive between scrapes
      const ended = new Promise<void>((resolve) => first.socket.once('close', () => resolve()));

      await server.close(); // resolves only once every connection is gone
      await ended;
      await expect(ask(port, '/metrics')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      await expect(server.close()).resolves.toBeUndefined(); // twice is harmless
    } finally {
      agent.destroy();
    }
  });

  it('fails to listen on a port already taken, saying so', async () => {
    const other = new MetricsServer(metrics, logger);
    await expect(other.listen(port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
