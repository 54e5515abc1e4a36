import type { Engines } from './environment';
import type { AppName } from './platform';

export interface RunIdentity {
  /** Short random id of the run: in names, business ids and the key prefix. */
  runId: string;
  jwtKeyFile: string;
  admin: { username: string; password: string };
}

/** Queue, exchange and Redis key prefix of the run (the cluster is fresh, Redis is the machine's). */
export const namePrefixOf = (runId: string) => `drills.${runId}.`;

/**
 * Each app's database. On the machine's shared MongoDB the run uses databases of its own (dropped
 * at the end); on the drill's own replica set, the production names. The coupon worker works in
 * promotion's database, as deployed.
 */
export function databaseOf(app: AppName, runId: string, shared: boolean): string {
  const owner = app === 'coupon-worker' ? 'promotion' : app.replace(/-/g, '_');
  return shared ? `drills_${runId}_${owner}` : `loyalty_${owner}`;
}

/** The one RABBITMQ_URL of a replica: every node (failover), or one node per replica, spread. */
export function rabbitUrlOf(
  engines: Engines,
  mode: 'joined' | 'spread',
  appIndex: number,
  replicaIndex: number,
): string {
  const urls = engines.rabbitUrls;
  if (mode === 'joined' || urls.length === 1) return urls.join(',');
  // Replicas 0 and 1 of an app land on different nodes, so one node down leaves every app a replica.
  return urls[(appIndex * 2 + replicaIndex) % urls.length];
}

/**
 * The environment every replica shares. Limits that protect a public deployment from one client
 * (per-IP and per-caller rates, sign-ups per IP) are lifted: the whole load comes from one
 * address. Webhooks may go to the drill's receiver on loopback, with quick retries, and a dead
 * dispatcher's work is taken over after 5 missed 1 s heartbeats.
 */
export function sharedAppEnv(engines: Engines, run: RunIdentity): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    MONGODB_URI: engines.mongoUri,
    REDIS_URL: engines.redisUrl,
    NAME_PREFIX: namePrefixOf(run.runId),
    RABBITMQ_QUEUE_TYPE: engines.rabbit ? 'quorum' : 'classic',
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: process.env.DRILLS_APP_LOG_LEVEL ?? 'warn',
    SHUTDOWN_TIMEOUT_MS: '5000',
    JWT_PRIVATE_KEY_FILE: run.jwtKeyFile,
    ADMIN_USERNAME: run.admin.username,
    ADMIN_PASSWORD: run.admin.password,
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    CLIENT_TOKEN_TTL_SECONDS: '86400',
    RATE_LIMIT_IP_PER_MINUTE: '1000000000',
    RATE_LIMIT_CALLER_PER_MINUTE: '1000000000',
    RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: '10000000',
    WEBHOOKS_ALLOW_HTTP: 'true',
    WEBHOOKS_ALLOWED_PRIVATE_CIDRS: '127.0.0.0/8',
    WEBHOOKS_RETRY_SCHEDULE: '1s,2s,5s,10s,30s,1m,5m',
    WEBHOOKS_HEARTBEAT_MS: '1000',
  };
}
