import type { Channel, ConsumeMessage } from 'amqplib';
import { BaseRpcContext, CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom, isObservable } from 'rxjs';
import { toWireError } from '@lib/errors';
import type { RpcReply } from '@lib/contracts';
import {
  Logger,
  Metrics,
  RequestContext,
  SpanKind,
  type Span,
  continueTrace,
  endSpan,
  runInSpan,
  tracingEnabled,
} from '@lib/observability';
import { AmqpConnection } from '../amqp-connection';
import { InFlight, Subscription, closeGracefully } from '../in-flight';
import { Topology } from '../topology';
import { DEADLINE_HEADER } from './rpc-client';

const CLOCK_GRACE_MS = 1000;

export interface AmqpRpcServerOptions {
  service: string;
  amqp: AmqpConnection;
  topology: Topology;
  logger: Logger;
  metrics: Metrics;
  /** How many requests one instance works on at once. */
  prefetch?: number;
}

/**
 * A Nest microservice transport that serves @MessagePattern handlers from the service's durable
 * RPC queue. Unlike the stock RMQ transport it acks manually, after the reply is sent, and maps
 * errors once: a DomainError goes back with its code; anything else is logged with an errorId and
 * answered as INTERNAL with that id only. With tracing on, each request is a server span named
 * by its pattern, child of the caller's span (`traceparent` header); every request gets one
 * access log line (`msg: "rpc"`): pattern, outcome, ms, request id and trace id.
 */
export class AmqpRpcServer extends Server implements CustomTransportStrategy {
  private subscription?: Subscription;
  private readonly inFlight = new InFlight();
  private closed = false;

  constructor(private readonly options: AmqpRpcServerOptions) {
    super();
  }

  listen(callback: () => void): void {
    const { amqp, topology, service } = this.options;
    const queue = topology.rpcQueue(service);
    void amqp
      .addSetup(async (connection) => {
        if (this.closed) return; // a reconnect after close() must not start serving again
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        await channel.assertQueue(queue, { durable: true, arguments: topology.queueArguments() });
        await channel.prefetch(this.options.prefetch ?? 64);
        const { consumerTag } = await channel.consume(
          queue,
          (msg) => msg && void this.inFlight.track(() => this.handle(channel, msg)),
          { noAck: false },
        );
        this.subscription = { channel, consumerTag };
      })
      .then(callback, (err: Error) => {
        this.options.logger.error({ err: err.message }, 'rpc server setup failed');
        callback();
      });
  }

  /** Stops taking requests, then waits (bounded) for the ones in progress to be answered. */
  async close(): Promise<void> {
    this.closed = true;
    const subscription = this.subscription;
    this.subscription = undefined;
    await closeGracefully(subscription ? [subscription] : [], this.inFlight, 5000);
  }

  on(): void {
    throw new Error('AmqpRpcServer does not emit events');
  }

  unwrap<T>(): T {
    return this.subscription?.channel as T;
  }

  private async handle(channel: Channel, msg: ConsumeMessage): Promise<void> {
    const pattern = msg.properties.type as string;
    const headers = msg.properties.headers;
    if (this.expired(channel, msg, pattern)) return;
    const requestId = headers?.[RequestContext.HEADER] as string | undefined;
    const traced = tracingEnabled()
      ? continueTrace(pattern, SpanKind.SERVER, headers, {
          'rpc.system': 'rabbitmq',
          'rpc.service': this.options.service,
          'rpc.method': pattern,
        })
      : undefined;
    await RequestContext.run(
      requestId,
      traced
        ? () => runInSpan(traced.span, () => this.serve(channel, msg, pattern, traced.span), traced.parent)
        : () => this.serve(channel, msg, pattern),
      // The handler's own RPCs wait no longer than this caller does, and its queued work can see
      // that the caller has gone (RequestContext.callerGaveUp).
      callerGivesUpAt(msg),
    );
  }

  private async serve(channel: Channel, msg: ConsumeMessage, pattern: string, span?: Span): Promise<void> {
    const started = process.hrtime.bigint();
    let reply: RpcReply;
    try {
      // Nest's getHandlerByPattern() first tries JSON.parse(pattern), which throws (with a stack
      // trace) for every plain-string pattern: look our string patterns up directly.
      const handler = this.messageHandlers.get(pattern) ?? this.getHandlerByPattern(pattern);
      if (!handler) throw new UnknownPattern(pattern);
      const data: unknown = JSON.parse(msg.content.toString());
      const result: unknown = await handler(data, new AmqpRpcContext([msg]));
      const value: unknown = isObservable(result) ? await lastValueFrom(result) : result;
      reply = { ok: true, data: value };
    } catch (err) {
      const { wire, unexpected } = toWireError(err);
      if (unexpected)
        this.options.logger.error(
          { errorId: wire.errorId, pattern, err: describe(unexpected) },
          'unexpected error in RPC handler',
        );
      reply = { ok: false, error: wire };
    }
    const outcome = reply.ok ? 'ok' : reply.error.code;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.options.metrics.rpcDuration.observe({ side: 'server', pattern, outcome }, seconds);
    endSpan(span, outcome);
    this.accessLog(pattern, outcome, seconds, span);
    try {
      // Acked first: the work is done (and committed), and the reply can kill this connection.
      // RabbitMQ closes a connection with 541 INTERNAL_ERROR when it publishes to a direct reply-to
      // address it can't resolve, such as a caller's on a cluster node that just died. Replied
      // first, such a request came back after the reconnect and killed it again, until its
      // deadline, taking every request in flight on the connection down with it each time.
      channel.ack(msg);
      if (msg.properties.replyTo) {
        channel.sendToQueue(msg.properties.replyTo, Buffer.from(JSON.stringify(reply)), {
          correlationId: msg.properties.correlationId,
          contentType: 'application/json',
        });
      }
    } catch {
      // The channel closed under us: the broker redelivers an unacked request; its caller has
      // timed out, or gets the answer from the redelivery.
    }
  }

  /**
   * A request whose caller has already given up (its deadline passed while it waited in the queue
   * or in this replica's prefetch) is acked without running: nobody reads its answer, and every
   * write is idempotent by its business id, so the caller's retry does the work. Under overload
   * (a backlog after a failover) this keeps the service on requests someone still waits for.
   */
  private expired(channel: Channel, msg: ConsumeMessage, pattern: string): boolean {
    const givenUpAt = callerGivesUpAt(msg);
    if (givenUpAt === undefined || Date.now() <= givenUpAt) return false;
    this.options.metrics.rpcDuration.observe({ side: 'server', pattern, outcome: 'EXPIRED' }, 0);
    try {
      channel.ack(msg);
    } catch {
      // The channel closed: the broker redelivers it, and it is skipped again.
    }
    return true;
  }

  /** One line per request (the request id comes from the context; the trace id from the span). */
  private accessLog(pattern: string, outcome: string, seconds: number, span: Span | undefined): void {
    const { logger } = this.options;
    if (!logger.isLevelEnabled('info')) return;
    const spanContext = span?.spanContext();
    logger.info(
      {
        pattern,
        outcome,
        ms: Math.round(seconds * 10_000) / 10,
        ...(spanContext && { trace_id: spanContext.traceId, span_id: spanContext.spanId }),
      },
      'rpc',
    );
  }
}

/**
 * When the caller stops waiting: its `x-deadline`, plus a second's grace for the clocks of the
 * caller's machine and this one (NTP keeps them closer). Undefined without one.
 */
function callerGivesUpAt(msg: ConsumeMessage): number | undefined {
  const deadline = Number(msg.properties.headers?.[DEADLINE_HEADER]);
  return Number.isFinite(deadline) ? deadline + CLOCK_GRACE_MS : undefined;
}

/** What a handler sees as its RPC context: the raw message, for headers and properties. */
export class AmqpRpcContext extends BaseRpcContext<[ConsumeMessage]> {
  getMessage(): ConsumeMessage {
    return this.args[0];
  }
}

class UnknownPattern extends Error {
  constructor(pattern: string) {
    super(`no handler for RPC pattern ${pattern}`);
  }
}

function describe(err: unknown): { message: string; stack?: string } {
  return err instanceof Error ? { message: err.message, stack: err.stack } : { message: String(err) };
}
