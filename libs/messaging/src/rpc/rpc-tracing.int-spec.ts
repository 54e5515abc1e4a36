import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern } from '@nestjs/microservices';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { DomainError } from '@lib/errors';
import { Metrics, RequestContext, activeTraceFields } from '@lib/observability';
import { TestIsolation, testLogger } from '@lib/testing';
import { captureLogs } from '../../../observability/src/testing/log-capture';
import { inMemoryTracingForTests } from '../../../observability/src/testing/in-memory-tracing';
import { AmqpConnection } from '../amqp-connection';
import { Topology } from '../topology';
import { RpcClient } from './rpc-client';
import { AmqpRpcContext, AmqpRpcServer } from './rpc-server';
import { PassThroughRpcErrors } from './pass-through-rpc-errors.filter';

@Controller()
class TracedController {
  @MessagePattern('trace.echo')
  echo(@Ctx() ctx: AmqpRpcContext) {
    return {
      traceparent: ctx.getMessage().properties.headers?.traceparent ?? null,
      active: activeTraceFields() ?? null,
    };
  }

  @MessagePattern('trace.refuse')
  refuse(): never {
    throw new DomainError('INSUFFICIENT_POINTS', 'Not enough points', { available: 1, requested: 2 });
  }
}

@Module({ controllers: [TracedController] })
class TracedModule {}

describe('RPC access log and spans (real RabbitMQ)', () => {
  const iso = new TestIsolation('rpc-trace');
  const topology = new Topology(iso.namePrefix);
  const metrics = new Metrics('rpc-trace', false);
  const { lines, logger } = captureLogs('loyalty', 'info');
  let amqp: AmqpConnection;
  let service: INestMicroservice;
  let client: RpcClient;

  beforeAll(async () => {
    amqp = new AmqpConnection({ url: iso.infra.rabbitUrl, name: 'rpc-trace', logger: testLogger() });
    service = await NestFactory.createMicroservice(TracedModule, {
      strategy: new AmqpRpcServer({ service: 'traced', amqp, topology, logger, metrics }),
      logger: false,
    });
    service.useGlobalFilters(new PassThroughRpcErrors());
    client = new RpcClient(amqp, topology, metrics, 3000);
    await client.init();
    amqp.start();
    await service.listen();
    await amqp.waitUntilConnected();
  });

  afterAll(async () => {
    await service.close();
    client.close();
    await amqp.close();
    await iso.cleanup();
  });

  beforeEach(() => (lines.length = 0));

  const rpcLines = () => lines.filter((l) => l.msg === 'rpc');

  it('writes one "rpc" line per request at info: pattern, outcome, ms and the request id', async () => {
    await RequestContext.run('req-rpc-1', () => client.send('traced', 'trace.echo', {}));
    await RequestContext.run('req-rpc-2', () =>
      expect(client.send('traced', 'trace.refuse', {})).rejects.toMatchObject({
        code: 'INSUFFICIENT_POINTS',
      }),
    );
    expect(rpcLines()).toEqual([
      expect.objectContaining({
        level: 'info',
        app: 'loyalty',
        pattern: 'trace.echo',
        outcome: 'ok',
        ms: expect.any(Number),
        requestId: 'req-rpc-1',
      }),
      expect.objectContaining({
        pattern: 'trace.refuse',
        outcome: 'INSUFFICIENT_POINTS',
        requestId: 'req-rpc-2',
      }),
    ]);
    expect(rpcLines()[0]).not.toHaveProperty('trace_id');
  });

  it('sends no traceparent while tracing is off', async () => {
    await expect(client.send('traced', 'trace.echo', {})).resolves.toEqual({
      traceparent: null,
      active: null,
    });
  });

  describe('with tracing on', () => {
    const tracing = inMemoryTracingForTests();

    it("makes the call a client span and the handling a server span under it, through the message's traceparent", async () => {
      const reply = await client.send<{ traceparent: string; active: Record<string, string> }>(
        'traced',
        'trace.echo',
        {},
      );
      const clientSpan = tracing.spans().find((s) => s.kind === SpanKind.CLIENT)!;
      const serverSpan = tracing.spans().find((s) => s.kind === SpanKind.SERVER)!;
      expect(clientSpan).toMatchObject({
        name: 'trace.echo',
        attributes: { 'rpc.service': 'traced', 'messaging.destination.name': topology.rpcQueue('traced') },
      });
      expect(serverSpan).toMatchObject({ name: 'trace.echo', attributes: { 'rpc.service': 'traced' } });
      const { traceId, spanId } = clientSpan.spanContext();
      expect(reply.traceparent).toBe(`00-${traceId}-${spanId}-01`);
      expect(serverSpan.spanContext().traceId).toBe(traceId);
      expect(serverSpan.parentSpanContext?.spanId).toBe(spanId);
      // The handler runs inside the server span, and the access line names it.
      expect(reply.active).toEqual({ trace_id: traceId, span_id: serverSpan.spanContext().spanId });
      expect(rpcLines()[0]).toMatchObject({ trace_id: traceId, span_id: serverSpan.spanContext().spanId });
    });

    it("marks both spans as errors with the domain error's code", async () => {
      await expect(client.send('traced', 'trace.refuse', {})).rejects.toMatchObject({
        code: 'INSUFFICIENT_POINTS',
      });
      const statuses = tracing.spans().map((s) => [SpanKind[s.kind], s.status]);
      expect(statuses).toEqual(
        expect.arrayContaining([
          ['SERVER', { code: SpanStatusCode.ERROR, message: 'INSUFFICIENT_POINTS' }],
          ['CLIENT', { code: SpanStatusCode.ERROR, message: 'INSUFFICIENT_POINTS' }],
        ]),
      );
    });
  });
});
