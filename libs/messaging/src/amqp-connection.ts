import { EventEmitter } from 'node:events';
import { connect, Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import type { Logger } from '@lib/observability';
import { coalesceFrameWrites } from './coalesce-frame-writes';

type Setup = (connection: ChannelModel) => Promise<void>;

export interface AmqpConnectionOptions {
  /** One broker URL, or a comma-separated list of them: one per node of a RabbitMQ cluster. */
  url: string;
  /** Shown in the broker's connection list. */
  name: string;
  logger: Logger;
  /** Delay before the first reconnect; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * Index in the list of the node tried first. Default: a random one, so that the replicas of an
   * app spread over the cluster's nodes instead of all landing on the first.
   */
  firstUrlIndex?: number;
}

/** The URLs of RABBITMQ_URL: one, or a comma-separated list (blanks around commas are ignored). */
export function brokerUrls(url: string): string[] {
  return url
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}

/**
 * One broker connection per app, kept alive: it reconnects with backoff and re-runs every
 * registered setup (topology, consumers, reply queues) on each new connection. While the broker
 * is away `isConnected()` is false, so callers fail fast (RPC answers UPSTREAM_UNAVAILABLE) or
 * wait (the outbox relay keeps events until it is back).
 *
 * Given several URLs (the nodes of a cluster), it connects to one; when that attempt fails it tries
 * the next one right away, and backs off only once every node has failed in a row. A connection
 * that is lost moves on to the next node: the one that dropped it is likely the one that is down.
 */
export class AmqpConnection extends EventEmitter {
  private connection?: ChannelModel;
  private publisher?: ConfirmChannel;
  private readonly setups: Setup[] = [];
  private closing = false;
  private backoffMs: number;
  private reconnectTimer?: NodeJS.Timeout;
  private connecting?: Promise<void>;
  private setupPass?: Promise<void>;
  private readonly urls: string[];
  /** The URL the next attempt uses, and how many attempts in a row have failed since a success. */
  private next: number;
  private failuresInRow = 0;
  private connectedTo?: string;

  constructor(private readonly options: AmqpConnectionOptions) {
    super();
    this.backoffMs = options.minBackoffMs ?? 100;
    this.urls = brokerUrls(options.url);
    if (!this.urls.length) throw new Error('AmqpConnection: no broker URL given');
    const first = options.firstUrlIndex ?? Math.floor(Math.random() * this.urls.length);
    this.next = first % this.urls.length;
  }

  isConnected(): boolean {
    return !!this.connection && !!this.publisher;
  }

  /** The broker connected to, its credentials hidden; undefined while not connected. */
  connectedBroker(): string | undefined {
    return this.isConnected() ? this.connectedTo : undefined;
  }

  /** Starts connecting in the background; apps boot and serve even while the broker is down. */
  start(): void {
    this.closing = false;
    void this.connectOnce();
  }

  /** Resolves once connected (and set up), or rejects after timeoutMs. */
  async waitUntilConnected(timeoutMs = 10000): Promise<void> {
    if (this.isConnected()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('connected', onUp);
        const where = this.urls.map(redact).join(', ');
        reject(new Error(`RabbitMQ not reachable at ${where} after ${timeoutMs}ms`));
      }, timeoutMs);
      const onUp = () => {
        clearTimeout(timer);
        resolve();
      };
      this.once('connected', onUp);
    });
  }

  /** Registers work to do on every (re)connection, and runs it now if already connected. */
  async addSetup(setup: Setup): Promise<void> {
    this.setups.push(setup);
    // During a (re)connection's setup pass, that pass runs it (it walks the live list): running
    // it here too would, e.g., start a second consumer on the same queue.
    if (this.setupPass) return this.setupPass.catch(() => undefined);
    if (this.connection) await setup(this.connection);
  }

  /** The confirm channel for publishing: persistent messages, acknowledged by the broker. */
  publishChannel(): ConfirmChannel {
    if (!this.publisher) throw new BrokerUnavailable();
    return this.publisher;
  }

  async createChannel(): Promise<Channel> {
    if (!this.connection) throw new BrokerUnavailable();
    return this.connection.createChannel();
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    await this.connecting?.catch(() => undefined);
    const connection = this.connection;
    this.connection = undefined;
    this.publisher = undefined;
    // A dead socket never answers close-ok: don't let shutdown hang on it.
    if (connection) await Promise.race([connection.close().catch(() => undefined), sleep(2000)]);
  }

  private connectOnce(): Promise<void> {
    if (this.connecting) return this.connecting;
    this.connecting = this.doConnect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    let connection: ChannelModel | undefined;
    const url = this.urls[this.next];
    try {
      connection = await connect(url, {
        // Without it, Nagle's algorithm meets the broker's delayed ACKs: ~40ms stalls per small RPC.
        noDelay: true,
        // A broker whose port is open but which never finishes the handshake (still booting)
        // must fail this attempt, not hang every later reconnect behind it.
        timeout: 10000,
        clientProperties: { connection_name: this.options.name },
      });
      connection.on('error', (err: Error) =>
        this.options.logger.warn({ err: err.message }, 'amqp connection error'),
      );
      connection.on('close', () => this.onClosed(connection!));
      if (!coalesceFrameWrites(connection)) {
        this.options.logger.warn('amqplib internals changed: frames are written one socket write each');
      }
      const publisher = await connection.createConfirmChannel();
      publisher.on('error', (err: Error) =>
        this.options.logger.warn({ err: err.message }, 'amqp channel error'),
      );
      this.connection = connection;
      this.setupPass = this.runSetups(connection);
      await this.setupPass.finally(() => (this.setupPass = undefined));
      this.publisher = publisher;
      this.connectedTo = redact(url);
      this.backoffMs = this.options.minBackoffMs ?? 100;
      this.failuresInRow = 0;
      this.options.logger.info({ broker: this.connectedTo }, 'connected to RabbitMQ');
      this.emit('connected');
    } catch (err) {
      this.connection = undefined;
      this.publisher = undefined;
      await connection?.close().catch(() => undefined);
      this.failuresInRow++;
      this.moveToNextUrl();
      // Another node may be up: try it now. Back off only after a whole round of failures.
      const backOff = this.failuresInRow % this.urls.length === 0;
      this.options.logger.warn(
        { err: (err as Error).message, broker: redact(url), retryInMs: backOff ? this.backoffMs : 0 },
        'RabbitMQ unreachable, retrying',
      );
      this.scheduleReconnect(backOff);
    }
  }

  private moveToNextUrl(): void {
    this.next = (this.next + 1) % this.urls.length;
  }

  private async runSetups(connection: ChannelModel): Promise<void> {
    for (const setup of this.setups) await setup(connection); // includes setups added meanwhile
  }

  private onClosed(connection: ChannelModel): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.publisher = undefined;
    this.emit('disconnected');
    if (!this.closing) {
      this.options.logger.warn({ broker: this.connectedTo }, 'RabbitMQ connection lost, reconnecting');
      this.moveToNextUrl();
      this.scheduleReconnect(this.urls.length === 1);
    }
  }

  /** Reconnects after the backoff (which then doubles), or at once to try another node. */
  private scheduleReconnect(backOff: boolean): void {
    if (this.closing) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connectOnce(), backOff ? this.backoffMs : 0);
    if (backOff) this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 5000);
  }
}

export class BrokerUnavailable extends Error {
  constructor() {
    super('RabbitMQ is not connected');
    this.name = 'BrokerUnavailable';
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
