import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per app instance (not the global one), so several apps can live in one
 * test process without clashing metric names.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly rpcDuration: Histogram<'side' | 'pattern' | 'outcome'>;

  constructor(app: string, collectDefaults = true) {
    this.registry.setDefaultLabels({ app });
    if (collectDefaults) collectDefaultMetrics({ register: this.registry });
    const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets,
      registers: [this.registry],
    });
    this.rpcDuration = new Histogram({
      name: 'rpc_duration_seconds',
      help: 'RPC latency, as seen by the client and by the server',
      labelNames: ['side', 'pattern', 'outcome'],
      buckets,
      registers: [this.registry],
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
