import { EventEmitter } from 'node:events';
import { connect, Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import type { Logger } from '@lib/observability';

type Setup = (connection: ChannelModel) => Promise<void>;

export interface AmqpConnectionOptions {
  url: string;
  /** Shown in the broker's connection list. */
  name: string;
  logger: Logger;
  /** Delay before the first reconnect; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * One broker connection per app, kept alive: it reconnects with backoff and re-runs every
 * registered setup (topology, consumers, reply queues) on each new connection. While the broker
 * is away `isConnected()` is false, so callers fail fast (RPC answers UPSTREAM_UNAVAILABLE) or
 * wait (the outbox relay keeps events until it is back).
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

  constructor(private readonly options: AmqpConnectionOptions) {
    super();
    this.backoffMs = options.minBackoffMs ?? 100;
  }

  isConnected(): boolean {
    return !!this.connection && !!this.publisher;
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
        reject(new Error(`RabbitMQ not reachable at ${redact(this.options.url)} after ${timeoutMs}ms`));
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
    try {
      connection = await connect(this.options.url, {
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
      const publisher = await connection.createConfirmChannel();
      publisher.on('error', (err: Error) =>
        this.options.logger.warn({ err: err.message }, 'amqp channel error'),
      );
      this.connection = connection;
      this.setupPass = this.runSetups(connection);
      await this.setupPass.finally(() => (this.setupPass = undefined));
      this.publisher = publisher;
      this.backoffMs = this.options.minBackoffMs ?? 100;
      this.options.logger.info({ broker: redact(this.options.url) }, 'connected to RabbitMQ');
      this.emit('connected');
    } catch (err) {
      this.connection = undefined;
      this.publisher = undefined;
      await connection?.close().catch(() => undefined);
      this.options.logger.warn(
        { err: (err as Error).message, retryInMs: this.backoffMs },
        'RabbitMQ unreachable, retrying',
      );
      this.scheduleReconnect();
    }
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
      this.options.logger.warn('RabbitMQ connection lost, reconnecting');
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connectOnce(), this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 5000);
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
