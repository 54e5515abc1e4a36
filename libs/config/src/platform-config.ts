import { EnvReader } from './env-reader';

/**
 * Reads and checks the environment once at boot. A missing or malformed setting stops the app
 * with a message naming the variable and what to set, instead of failing later on first use.
 */
export interface PlatformConfig {
  app: string;
  port: number;
  /**
   * METRICS_PORT: /metrics is served on a small server of its own on this port, and no longer on
   * `port`, so that whatever routes the API (an ingress) never exposes it; deployments set it (the
   * Helm chart does). Unset: /metrics is served on `port` with the API, as in local development.
   */
  metricsPort?: number;
  mongoUri: string;
  mongoDb: string;
  redisUrl: string;
  /** RABBITMQ_URL: one amqp(s):// URL, or a comma-separated list of them (one per cluster node). */
  rabbitUrl: string;
  /** Prefix of queue/exchange names and Redis keys; empty in production, per test file in tests. */
  namePrefix: string;
  rpcTimeoutMs: number;
  /** RABBITMQ_QUEUE_TYPE: `quorum` on a RabbitMQ cluster, `classic` (the default) on one node. */
  rabbitQueueType: 'classic' | 'quorum';
  corsOrigins: string[];
  /** What access tokens must say in `iss` and `aud`; the same for the signer and every verifier. */
  jwt: { issuer: string; audience: string };
  /** ADMIN_CONSOLE_DIR: the built admin console the gateway serves at /admin (relative to cwd). */
  adminConsoleDir: string;
  /** API_DOCS_ENABLED (default true): the gateway serves the OpenAPI UI at /docs and /docs-json. */
  apiDocsEnabled?: boolean;
}

export const DEFAULT_PORTS: Record<string, number> = {
  gateway: 3000,
  auth: 3001,
  loyalty: 3002,
  promotion: 3003,
  'coupon-worker': 3004,
  'webhook-dispatcher': 3005,
};

export function readPlatformConfig(
  app: string,
  needs: { mongo?: boolean } = {},
  env: NodeJS.ProcessEnv = process.env,
): PlatformConfig {
  const reader = new EnvReader(env);
  const required = (name: string, hint: string) => reader.required(name, hint);
  const int = (name: string, fallback: number, min: number, max: number) =>
    reader.int(name, fallback, min, max);
  const port = int('PORT', DEFAULT_PORTS[app] ?? 3000, 0, 65535);
  const config: PlatformConfig = {
    app,
    port,
    metricsPort: metricsPort(reader, port),
    mongoUri:
      needs.mongo === false
        ? ''
        : required('MONGODB_URI', 'e.g. mongodb://127.0.0.1:27017/?replicaSet=rs0; `npm run up` sets it'),
    mongoDb: env.MONGODB_DB || defaultDatabase(app),
    redisUrl: required('REDIS_URL', 'e.g. redis://127.0.0.1:6379'),
    rabbitUrl: rabbitUrl(reader),
    namePrefix: env.NAME_PREFIX ?? '',
    rpcTimeoutMs: int('RPC_TIMEOUT_MS', 5000, 50, 60000),
    rabbitQueueType: queueType(reader),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    jwt: { issuer: env.JWT_ISSUER || 'loyalty-platform', audience: env.JWT_AUDIENCE || 'loyalty-api' },
    adminConsoleDir: env.ADMIN_CONSOLE_DIR || 'dist/admin-console',
    apiDocsEnabled: reader.bool('API_DOCS_ENABLED', true),
  };
  reader.finish(app);
  return config;
}

/** METRICS_PORT, when set: a port of its own, never the API's (that would publish /metrics with it). */
function metricsPort(reader: EnvReader, port: number): number | undefined {
  const raw = reader.get('METRICS_PORT');
  if (raw === undefined || raw === '') return undefined;
  const metrics = reader.int('METRICS_PORT', 0, 1, 65535);
  if (metrics === port) {
    reader.problem(
      `METRICS_PORT must differ from PORT (both ${port}): /metrics gets a port the API doesn't use; unset METRICS_PORT to serve it with the API`,
    );
  }
  return metrics;
}

/** Every item of the list must be an amqp:// or amqps:// URL; a problem never shows a password. */
function rabbitUrl(reader: EnvReader): string {
  const raw = reader.required(
    'RABBITMQ_URL',
    'e.g. amqp://guest:guest@127.0.0.1:5672, or one URL per node of a cluster, comma-separated',
  );
  if (!raw) return raw;
  const items = raw.split(',').map((item) => item.trim());
  const bad = items.filter((item) => !isAmqpUrl(item));
  if (bad.length) {
    const shown = bad.map((item) => (item ? `"${hidePassword(item)}"` : 'an empty item')).join(', ');
    reader.problem(
      `RABBITMQ_URL must be an amqp:// or amqps:// URL, or a comma-separated list of them (got ${shown})`,
    );
  }
  return raw;
}

function isAmqpUrl(item: string): boolean {
  try {
    const url = new URL(item);
    return (url.protocol === 'amqp:' || url.protocol === 'amqps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function hidePassword(item: string): string {
  return item.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

function queueType(reader: EnvReader): 'classic' | 'quorum' {
  const raw = reader.get('RABBITMQ_QUEUE_TYPE') || 'classic';
  if (raw === 'classic' || raw === 'quorum') return raw;
  reader.problem('RABBITMQ_QUEUE_TYPE must be classic or quorum');
  return 'classic';
}

/**
 * Each service owns its database. The coupon worker is the promotion service's batch arm: it
 * writes the codes of promotion's coupon books, so it works in promotion's database.
 */
function defaultDatabase(app: string): string {
  return app === 'coupon-worker' ? 'loyalty_promotion' : `loyalty_${app.replace(/-/g, '_')}`;
}
