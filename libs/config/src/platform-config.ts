import { EnvReader } from './env-reader';

/**
 * Reads and checks the environment once at boot. A missing or malformed setting stops the app
 * with a message naming the variable and what to set, instead of failing later on first use.
 */
export interface PlatformConfig {
  app: string;
  port: number;
  mongoUri: string;
  mongoDb: string;
  redisUrl: string;
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
}

export const DEFAULT_PORTS: Record<string, number> = {
  gateway: 3000,
  auth: 3001,
  loyalty: 3002,
  promotion: 3003,
  'coupon-worker': 3004,
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
  const config: PlatformConfig = {
    app,
    port: int('PORT', DEFAULT_PORTS[app] ?? 3000, 0, 65535),
    mongoUri:
      needs.mongo === false
        ? ''
        : required('MONGODB_URI', 'e.g. mongodb://127.0.0.1:27017/?replicaSet=rs0; `npm run up` sets it'),
    mongoDb: env.MONGODB_DB || defaultDatabase(app),
    redisUrl: required('REDIS_URL', 'e.g. redis://127.0.0.1:6379'),
    rabbitUrl: required('RABBITMQ_URL', 'e.g. amqp://guest:guest@127.0.0.1:5672'),
    namePrefix: env.NAME_PREFIX ?? '',
    rpcTimeoutMs: int('RPC_TIMEOUT_MS', 5000, 50, 60000),
    rabbitQueueType: queueType(reader),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    jwt: { issuer: env.JWT_ISSUER || 'loyalty-platform', audience: env.JWT_AUDIENCE || 'loyalty-api' },
    adminConsoleDir: env.ADMIN_CONSOLE_DIR || 'dist/admin-console',
  };
  reader.finish(app);
  return config;
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
