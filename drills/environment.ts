/**
 * What scripts/drills.mjs hands the drills: the engines it started (or found), the exit hooks of
 * scripts/proc.mjs, and the run's options. The cluster's shape is scripts/drills/cluster's API.
 */
export interface HostPort {
  host: string;
  port: number;
}

export interface MongoReplicaSet {
  uri: string;
  members: HostPort[];
  primary(): Promise<HostPort>;
  /** Resolves once the process is dead. */
  kill(port: number, signal?: NodeJS.Signals): Promise<void>;
  /** Resolves once the member is back as a secondary (or primary). */
  restart(port: number): Promise<void>;
  waitForPrimary(timeoutMs?: number): Promise<HostPort>;
}

export interface RabbitNode {
  name: string;
  port: number;
}

export interface RabbitCluster {
  urls: string[];
  /** Every node's URL, comma-joined (for apps whose RABBITMQ_URL takes a list). */
  url: string;
  nodes: RabbitNode[];
  /** SIGKILL: the Erlang VM dies, nothing is flushed. */
  kill(name: string): Promise<void>;
  restart(name: string): Promise<void>;
}

export interface Engines {
  mongoUri: string;
  redisUrl: string;
  /** One AMQP URL per broker node. */
  rabbitUrls: string[];
  /** The 3-member replica set whose primary drill 1 kills; absent on the machine's engines. */
  mongo?: MongoReplicaSet;
  /** The 3-node cluster one of whose nodes drill 2 kills; absent on the machine's engines. */
  rabbit?: RabbitCluster;
  /**
   * The machine's own engines (--use-env-infra), shared with others: the run removes the
   * databases, queues and Redis keys it made when it ends.
   */
  shared: boolean;
}

/** proc.mjs's onExit: hooks run in reverse order of registration on exit, Ctrl-C or a crash. */
export type ExitHook = (() => Promise<void>) & { sync?: () => void };
export type OnExit = (hook: ExitHook) => () => void;

export const DRILLS = ['mongo-primary', 'rabbit-node', 'app-replicas'] as const;
export type DrillName = (typeof DRILLS)[number];

export interface RunOptions {
  short: boolean;
  /** The drills to run, in this order. */
  drills: DrillName[];
  /** A temporary directory of the run (app logs, keys), removed by the entry on exit. */
  runDir: string;
  /** RABBITMQ_URL of each replica: all nodes comma-joined, or one node each (spread). */
  rabbitUrlMode: 'joined' | 'spread';
  /** Multiplies every arrival rate (DRILLS_RATE_SCALE). */
  rateScale: number;
  /** Multiplies every phase's duration (DRILLS_TIME_SCALE). */
  timeScale: number;
}
