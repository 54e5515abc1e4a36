import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { CallerGaveUp, DomainError, fromWireError, UpstreamTimeout, UpstreamUnavailable } from '@lib/errors';
import type { RpcReply } from '@lib/contracts';
import {
  Metrics,
  RequestContext,
  SpanKind,
  TRACEPARENT,
  endSpan,
  startSpan,
  traceparentOf,
  tracingEnabled,
} from '@lib/observability';
import { AmqpConnection } from '../amqp-connection';
import { Topology } from '../topology';

const REPLY_TO = 'amq.rabbitmq.reply-to';
/** Epoch milliseconds after which the caller has given up (answered 504) and retries on its own. */
export const DEADLINE_HEADER = 'x-deadline';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over RabbitMQ with direct reply-to (no reply queue per client) and a deadline.
 * - broker down, no queue for the service, or the broker refusing the request (a nack: a quorum
 *   queue without a reachable leader, a full queue): UPSTREAM_UNAVAILABLE at once;
 * - no answer within the timeout (service down or stuck): UPSTREAM_TIMEOUT, and the request
 *   expires in the queue at the same moment so a late service never works on it; a call made
 *   while serving an RPC waits no longer than that RPC's own caller (RequestContext.msLeft);
 * - the service's domain error comes back as the same DomainError; its unknown errors as INTERNAL
 *   with the service's errorId.
 * With tracing on, each call is a client span named by its pattern, whose `traceparent` travels in
 * the message headers so the service's server span continues the trace.
 */
export class RpcClient {
  private channel?: ConfirmChannel;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly amqp: AmqpConnection,
    private readonly topology: Topology,
    private readonly metrics: Metrics,
    private readonly defaultTimeoutMs = 5000,
  ) {}

  async init(): Promise<void> {
    await this.amqp.addSetup(async (connection) => {
      // With confirms: a request the broker refuses fails at once instead of waiting out its
      // deadline. After a cluster node dies, RabbitMQ 3.10's quorum queues refused (or dropped,
      // without confirms) what a fresh channel sent them for ~30 s, while their queue records
      // still named the dead leader (fixed in 3.11.x/3.12 by rabbitmq-server#9241): callers then
      // held their own requests for 5 s each and fell behind (the RabbitMQ drill).
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      channel.on('close', () => {
        if (this.channel === channel) this.channel = undefined;
        this.failAll('the broker connection was lost');
      });
      channel.on('return', (msg: ConsumeMessage) =>
        this.settle(msg.properties.correlationId, undefined, unavailable('no such service queue')),
      );
      await channel.consume(REPLY_TO, (msg) => msg && this.onReply(msg), { noAck: true });
      this.channel = channel;
    });
  }

  async send<T>(
    service: string,
    pattern: string,
    payload: unknown,
    timeoutMs = this.defaultTimeoutMs,
  ): Promise<T> {
    const started = process.hrtime.bigint();
    const queue = this.topology.rpcQueue(service);
    const span = tracingEnabled()
      ? startSpan(pattern, SpanKind.CLIENT, {
          'rpc.system': 'rabbitmq',
          'rpc.service': service,
          'rpc.method': pattern,
          'messaging.destination.name': queue,
        })
      : undefined;
    const observe = (outcome: string) => {
      this.metrics.rpcDuration.observe(
        { side: 'client', pattern, outcome },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
      endSpan(span, outcome);
    };
    const channel = this.channel;
    if (!channel || !this.amqp.isConnected()) {
      observe('UPSTREAM_UNAVAILABLE');
      throw unavailable('the message broker is not reachable');
    }
    // Made for a request whose own caller waits less: wait no longer than it does.
    const callerMsLeft = RequestContext.msLeft();
    if (callerMsLeft !== undefined) timeoutMs = Math.min(timeoutMs, callerMsLeft);
    if (timeoutMs <= 0) {
      observe('UPSTREAM_TIMEOUT');
      throw new CallerGaveUp(`${pattern} was asked`);
    }
    const correlationId = randomUUID();
    const result = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(correlationId, undefined, new UpstreamTimeout(service, timeoutMs)),
        timeoutMs,
      );
      this.pending.set(correlationId, { resolve: resolve as (v: unknown) => void, reject, timer });
    });
    try {
      channel.publish(
        '',
        queue,
        Buffer.from(JSON.stringify(payload ?? null)),
        {
          correlationId,
          replyTo: REPLY_TO,
          type: pattern,
          contentType: 'application/json',
          expiration: String(timeoutMs),
          mandatory: true,
          headers: {
            [RequestContext.HEADER]: RequestContext.requestId(),
            // When this caller stops waiting: a service that only gets to it later skips it.
            [DEADLINE_HEADER]: Date.now() + timeoutMs,
            ...(span && { [TRACEPARENT]: traceparentOf(span) }),
          },
        },
        (err: unknown) => {
          // A nack; a late one, after the answer or the timeout, finds nothing to settle.
          if (err)
            this.settle(correlationId, undefined, unavailable('the message broker refused the request'));
        },
      );
    } catch {
      this.settle(correlationId, undefined, unavailable('the message broker is not reachable'));
    }
    try {
      const value = await result;
      observe('ok');
      return value;
    } catch (err) {
      observe(err instanceof DomainError ? err.code : 'error');
      throw err;
    }
  }

  close(): void {
    this.failAll('the client is shutting down');
  }

  private onReply(msg: ConsumeMessage): void {
    let reply: RpcReply;
    try {
      reply = JSON.parse(msg.content.toString()) as RpcReply;
    } catch {
      return this.settle(
        msg.properties.correlationId,
        undefined,
        fromWireError({ message: 'malformed reply' }),
      );
    }
    if (reply.ok) this.settle(msg.properties.correlationId, reply.data);
    else this.settle(msg.properties.correlationId, undefined, fromWireError(reply.error));
  }

  private settle(correlationId: string, value: unknown, error?: Error): void {
    const pending = this.pending.get(correlationId);
    if (!pending) return; // already timed out: a late reply is dropped
    this.pending.delete(correlationId);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve(value);
  }

  private failAll(why: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, new UpstreamUnavailable(why));
  }
}

function unavailable(why: string): DomainError {
  return new UpstreamUnavailable(why);
}
