import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { freePort, TestIsolation, waitFor } from '@lib/testing';
import { startAuthService, type AuthService } from '../support/auth/auth-service';

const ROOT = join(__dirname, '..', '..');

/**
 * The gateway's real entry point (apps/gateway/src/main.ts) as its own process, configured as the
 * Helm chart configures it: METRICS_PORT set, and API_DOCS_ENABLED=false (ingress.docs.enabled
 * false). What an ingress routes to (the app's port) must not serve /metrics or the docs; the
 * probes stay there; the scrapers find /metrics on the metrics port, which closes with the app.
 */
describe('METRICS_PORT: /metrics on a port of its own, and API_DOCS_ENABLED=false', () => {
  const iso = new TestIsolation('metricsport');
  let child: ChildProcess | undefined;
  // The gateway is ready once it has read auth's token revocation list: auth runs beside it.
  let auth: AuthService;
  let port: number;
  let metricsPort: number;
  const lines: string[] = [];
  let exited: Promise<{ code: number | null; signal: string | null }>;
  const main = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
  const metrics = (path: string) => fetch(`http://127.0.0.1:${metricsPort}${path}`);

  beforeAll(async () => {
    [port, metricsPort] = [await freePort(), await freePort()];
    auth = await startAuthService(iso);
    child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/gateway/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          LOG_LEVEL: 'info',
          PORT: String(port),
          METRICS_PORT: String(metricsPort),
          API_DOCS_ENABLED: 'false',
          REDIS_URL: iso.infra.redisUrl,
          RABBITMQ_URL: iso.infra.rabbitUrl,
          NAME_PREFIX: iso.namePrefix,
          SHUTDOWN_TIMEOUT_MS: '30000',
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
    }
    exited = new Promise((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));
    await waitFor(
      'the gateway process to be ready, with its metrics port open',
      async () => {
        if (child!.exitCode !== null) throw new Error(`the gateway exited:\n${lines.join('\n')}`);
        const ready = await main('/health/ready').catch(() => undefined);
        const scrape = await metrics('/metrics').catch(() => undefined);
        return ready?.status === 200 && scrape?.status === 200;
      },
      45000,
    );
  }, 60000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await auth?.close();
    await iso.cleanup();
  });

  it('serves /metrics on METRICS_PORT, with the HTTP histogram of the API port', async () => {
    await main('/.well-known/jwks.json'); // one request on the API port, seen in the histogram
    const res = await metrics('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('app="gateway"');
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/health\/ready"/);
    expect(text).toContain('process_cpu_seconds_total'); // Node's default metrics
    expect((await metrics('/health/ready')).status).toBe(404); // that port serves /metrics alone
  });

  it("answers /metrics 404 on the app's port, where the probes and the API stay", async () => {
    const res = await main('/metrics');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.text()).not.toContain('http_request_duration_seconds');
    expect((await main('/health/live')).status).toBe(200);
    expect((await main('/health/ready')).status).toBe(200);
    expect((await main('/.well-known/jwks.json')).status).not.toBe(404);
  });

  it('serves no API docs with API_DOCS_ENABLED=false: /docs and /docs-json are 404', async () => {
    for (const path of ['/docs', '/docs/', '/docs-json', '/docs-yaml']) {
      const res = await main(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(await res.text()).not.toMatch(/swagger|openapi/i);
    }
  });

  it('closes the metrics port on SIGTERM, a scraper still connected, and exits 0', async () => {
    const agent = new Agent({ keepAlive: true });
    try {
      // A scraper's connection, kept open between scrapes, as Prometheus keeps it.
      const scraper = await new Promise<{ closed: Promise<void> }>((resolve, reject) => {
        get({ host: '127.0.0.1', port: metricsPort, path: '/metrics', agent }, (res) => {
          const closed = new Promise<void>((done) => res.socket.once('close', () => done()));
          res.resume();
          res.on('end', () => resolve({ closed }));
        }).on('error', reject);
      });
      child!.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      await scraper.closed; // ended by the app, not by us
    } finally {
      agent.destroy();
    }
    const messages = lines.map((l) => {
      try {
        return (JSON.parse(l) as { msg?: string }).msg ?? l;
      } catch {
        return l;
      }
    });
    expect(messages).toEqual(
      expect.arrayContaining([
        'metrics: serving /metrics on its own port',
        expect.stringMatching(/stopped cleanly/),
      ]),
    );
    await expect(metrics('/metrics')).rejects.toThrow();
  }, 60000);
});
