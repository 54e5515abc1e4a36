import type { PlatformConfig } from '@lib/config';

/** What every process of one identity benchmark run shares: handed to children as JSON in env. */
export interface BenchConfig {
  mongoUri: string;
  redisUrl: string;
  rabbitUrl: string;
  /** This run's own database. */
  dbName: string;
  /** This run's queue, exchange and Redis key prefix. */
  prefix: string;
  /** The auth service's RS256 signing key (PKCS8 PEM); the baseline verifies with its public half. */
  signingKeyPem: string;
  jwt: { issuer: string; audience: string };
  /** The admin account auth bootstraps (ADMIN_USERNAME/ADMIN_PASSWORD), when a run needs one. */
  admin?: { username: string; password: string };
}

export const CONFIG_ENV = 'BENCH_IDENTITY_CONFIG';

export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const raw = env[CONFIG_ENV];
  if (!raw) throw new Error(`${CONFIG_ENV} is not set: run this role from the benchmark's coordinator`);
  return JSON.parse(raw) as BenchConfig;
}

/** The PlatformConfig an app of this run gets: production defaults, this run's names. */
export function platformConfig(config: BenchConfig, app: string): PlatformConfig {
  return {
    app,
    port: 0,
    mongoUri: config.mongoUri,
    mongoDb: config.dbName,
    redisUrl: config.redisUrl,
    rabbitUrl: config.rabbitUrl,
    namePrefix: config.prefix,
    rpcTimeoutMs: 5000,
    rabbitQueueType: 'classic',
    corsOrigins: [],
    jwt: config.jwt,
    adminConsoleDir: 'dist/admin-console',
  };
}

/** A server a role process runs: its HTTP port (0 when it has none) and how to stop it. */
export interface RunningServer {
  port: number;
  close(): Promise<void>;
}
