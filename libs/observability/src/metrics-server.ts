import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger';
import { Metrics } from './metrics';

/**
 * `/metrics` on a port of its own (METRICS_PORT), apart from the API: an ingress or a load
 * balancer that routes the app's port never exposes it, and a NetworkPolicy can open this port to
 * the scrapers alone. node:http, not a second Fastify: it answers one path, with no request ids,
 * spans or rate limits (scrapes are neither traced nor logged, like the probes).
 */
export class MetricsServer {
  private readonly server: Server;

  constructor(
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    this.server = createServer((req, res) => void this.answer(req, res));
  }

  /** Listens on every interface, as the app does: Prometheus scrapes the pod's address. */
  listen(port: number, host = '0.0.0.0'): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        this.logger.info({ port: this.port }, 'metrics: serving /metrics on its own port');
        resolve();
      });
    });
  }

  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  get port(): number | undefined {
    return (this.server.address() as AddressInfo | null)?.port;
  }

  /**
   * Stops listening and ends its connections: Prometheus keeps its connection alive between
   * scrapes, and an idle one must not hold the app's shutdown until the drain timeout.
   */
  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') return plain(res, 404, 'Not found: this port serves /metrics only\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'Method not allowed\n');
    }
    try {
      const body = await this.metrics.render();
      res.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      this.logger.error({ err: String(err) }, 'metrics: could not render /metrics');
      plain(res, 500, 'Metrics unavailable\n');
    }
  }
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
