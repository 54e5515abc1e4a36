import { Controller, Get, INestApplication, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect } from 'amqplib';
import request from 'supertest';
import { DomainError } from '@lib/errors';
import { Metrics, RequestContext, instrumentHttp } from '@lib/observability';
import { BrokerProxy, TestIsolation, testLogger, waitFor } from '@lib/testing';
import {
  AmqpConnection,
  AmqpRpcServer,
  DEADLINE_HEADER,
  PassThroughRpcErrors,
  RpcClient,
  Topology,
} from '@lib/messaging';
import { ProblemFilter } from '../../apps/gateway/src/http/problem.filter';

const counted: string[] = [];

@Controller()
class TestRpcController {
  @MessagePattern('test.echo')
  echo(@Payload() body: unknown) {
    return { body, requestId: RequestContext.requestId() };
  }

  @MessagePattern('test.domain-error')
  refuse(): never {
    throw new DomainError('INSUFFICIENT_POINTS', 'Not enough points', { available: 5, requested: 9 });
  }

  @MessagePattern('test.slow')
  async slow(@Payload() body: { ms: number }) {
    await new Promise((r) => setTimeout(r, body.ms));
    return { sleptMs: body.ms };
  }

  @MessagePattern('test.count')
  count(@Payload() body: { id: string }) {
    counted.push(body.id);
    return { counted: counted.length };
  }

  @MessagePattern('test.time-left')
  timeLeft() {
    return { msLeft: RequestContext.msLeft() ?? null };
  }

  @MessagePattern('test.crash')
  crash(): never {
    throw new Error('secret internals: mongodb://admin:hunter2@db.internal:27017');
  }
}

@Module({ controllers: [TestRpcController] })
class TestServiceModule {}

describe('RPC over RabbitMQ (real broker)', () => {
  const iso = new TestIsolation('rpc');
  const topology = new Topology(iso.namePrefix);
  const logger = testLogger();
  const metrics = new Metrics('rpc-test', false);
  const proxy = BrokerProxy.forUrl(iso.infra.rabbitUrl);
  let serverAmqp: AmqpConnection;
  let clientAmqp: AmqpConnection;
  let service: INestMicroservice;
  let client: RpcClient;
  let http: INestApplication;

  @Controller()
  class TestGatewayController {
    @Get('echo')
    echo() {
      return client.send('test', 'test.echo', { hello: 'world' });
    }
    @Get('crash')
    crash() {
      return client.send('test', 'test.crash', {});
    }
    @Get('refuse')
    refuse() {
      return client.send('test', 'test.domain-error', {});
    }
    @Get('down')
    down() {
      return client.send('auth', 'auth.system.ping', {}, 800);
    }
    @Get('nowhere')
    nowhere() {
      return client.send('no-such-service', 'x.y.z', {});
    }
  }
  @Module({ controllers: [TestGatewayController] })
  class TestGatewayModule {}

  beforeAll(async () => {
    await proxy.start();
    serverAmqp = new AmqpConnection({ url: iso.infra.rabbitUrl, name: 'rpc-server', logger });
    service = await NestFactory.createMicroservice(TestServiceModule, {
      strategy: new AmqpRpcServer({ service: 'test', amqp: serverAmqp, topology, logger, metrics }),
      logger: false,
    });
    service.useGlobalFilters(new PassThroughRpcErrors());
    serverAmqp.start();
    await service.listen();

    // The client goes through the proxy, so a test can take the broker away from it.
    clientAmqp = new AmqpConnection({ url: proxy.urlFor(iso.infra.rabbitUrl), name: 'rpc-client', logger });
    client = new RpcClient(clientAmqp, topology, metrics, 2000);
    await client.init();
    clientAmqp.start();
    await clientAmqp.waitUntilConnected();

    // "auth" is down: its durable queue exists (it ran before), but nothing consumes it.
    const raw = await connect(iso.infra.rabbitUrl);
    const ch = await raw.createChannel();
    await ch.assertQueue(topology.rpcQueue('auth'), { durable: true });
    await raw.close();

    const app = await NestFactory.create<NestFastifyApplication>(TestGatewayModule, new FastifyAdapter(), {
      logger: false,
    });
    instrumentHttp(app.getHttpAdapter().getInstance(), metrics);
    app.useGlobalFilters(new ProblemFilter(logger));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    http = app;
  });

  afterAll(async () => {
    await http.close();
    await service.close();
    await serverAmqp.close();
    client.close();
    await clientAmqp.close();
    await proxy.stop();
    await iso.cleanup();
  });

  it('answers a round trip and carries the request id into the service', async () => {
    const res = await request(http.getHttpServer())
      .get('/echo')
      .set('x-request-id', 'req-rpc-42')
      .expect(200);
    expect(res.body).toEqual({ body: { hello: 'world' }, requestId: 'req-rpc-42' });
    expect(res.headers['x-request-id']).toBe('req-rpc-42');
  });

  it("returns the service's domain error with its code and details, as problem+json", async () => {
    await expect(client.send('test', 'test.domain-error', {})).rejects.toMatchObject({
      code: 'INSUFFICIENT_POINTS',
      details: { available: 5, requested: 9 },
    });
    const res = await request(http.getHttpServer()).get('/refuse').expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 422, code: 'INSUFFICIENT_POINTS', available: 5, requested: 9 });
  });

  it('turns an unknown error into a 500 with an errorId and no internals', async () => {
    const res = await request(http.getHttpServer()).get('/crash').expect(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(res.body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.detail).toContain(res.body.errorId);
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|mongodb|secret|stack/i);
  });

  it('answers 504 UPSTREAM_TIMEOUT within its timeout when the service is down', async () => {
    const started = Date.now();
    const res = await request(http.getHttpServer()).get('/down').expect(504);
    const elapsed = Date.now() - started;
    expect(res.body).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504 });
    expect(elapsed).toBeGreaterThanOrEqual(750);
    expect(elapsed).toBeLessThan(3000);
    // The request expired in the queue with the deadline: a service coming back never works on it.
    await waitFor('the stale request to expire', async () => {
      const raw = await connect(iso.infra.rabbitUrl);
      const ch = await raw.createChannel();
      const { messageCount } = await ch.checkQueue(topology.rpcQueue('auth'));
      await raw.close();
      return messageCount === 0;
    });
  });

  it('answers 503 UPSTREAM_UNAVAILABLE at once when no such service queue exists', async () => {
    const res = await request(http.getHttpServer()).get('/nowhere').expect(503);
    expect(res.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('fails at once with UPSTREAM_UNAVAILABLE when the broker refuses the request (a nack)', async () => {
    // A queue that takes nothing: RabbitMQ nacks every publish to it, as a quorum queue without a
    // reachable leader does.
    const raw = await connect(iso.infra.rabbitUrl);
    try {
      const ch = await raw.createChannel();
      await ch.assertQueue(topology.rpcQueue('full'), {
        arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish' },
      });
      const started = Date.now();
      await expect(client.send('full', 'test.echo', {}, 5000)).rejects.toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        message: expect.stringContaining('refused'),
      });
      // Not the 5 s deadline: the caller can answer 503 and its client retry now.
      expect(Date.now() - started).toBeLessThan(2000);
      await ch.deleteQueue(topology.rpcQueue('full'));
    } finally {
      await raw.close();
    }
  });

  it('tells the handler how long its caller still waits, and its own calls wait no longer', async () => {
    // The service sees the caller's deadline (plus its second of grace for clocks).
    const { msLeft } = await client.send<{ msLeft: number }>('test', 'test.time-left', {}, 2000);
    expect(msLeft).toBeGreaterThan(1000);
    expect(msLeft).toBeLessThanOrEqual(3000);

    // A call made for a request whose caller waits 300 ms more times out then, not at its own 5 s.
    const started = Date.now();
    const nested = RequestContext.run(
      'nested',
      () => client.send('test', 'test.slow', { ms: 3000 }, 5000),
      Date.now() + 300,
    );
    await expect(nested).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);

    // For one whose caller has already gone, nothing is asked at all.
    const orphan = RequestContext.run(
      'orphan',
      () => client.send('test', 'test.count', { id: 'asked-for-nobody' }, 5000),
      Date.now() - 1,
    );
    await expect(orphan).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    await client.send('test', 'test.count', { id: 'asked-after' }, 5000);
    expect(counted).toContain('asked-after');
    expect(counted).not.toContain('asked-for-nobody');
    counted.length = 0; // the deadline test below counts from an empty list
  });

  it('answers 503 UPSTREAM_UNAVAILABLE while the broker is unreachable, and recovers after', async () => {
    await proxy.cut();
    await waitFor('the client to see the outage', () => !clientAmqp.isConnected());
    const res = await request(http.getHttpServer()).get('/echo').expect(503);
    expect(res.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    await proxy.restore();
    await clientAmqp.waitUntilConnected(10000);
    await waitFor(
      'a successful round trip',
      async () => (await request(http.getHttpServer()).get('/echo')).status === 200,
    );
  });

  it('skips a request whose caller gave up before it was taken (past its deadline), and acks it', async () => {
    const raw = await connect(iso.infra.rabbitUrl);
    const ch = await raw.createChannel();
    const send = (id: string, deadline: number) =>
      ch.sendToQueue(topology.rpcQueue('test'), Buffer.from(JSON.stringify({ id })), {
        type: 'test.count',
        headers: { [DEADLINE_HEADER]: deadline },
      });
    // Well past the server's clock grace (1 s), so a slow broker hop can't make it look live.
    send('given-up', Date.now() - 60_000);
    send('still-waited-for', Date.now() + 60_000);
    await waitFor('the live request to be handled', () => counted.includes('still-waited-for'));
    expect(counted).toEqual(['still-waited-for']);
    // Acked, not left in the queue for another replica.
    await waitFor(
      'the queue to be empty',
      async () => (await ch.checkQueue(topology.rpcQueue('test'))).messageCount === 0,
    );
    await raw.close();
    expect(await metrics.render()).toMatch(/pattern="test.count",outcome="EXPIRED"/);
  });

  it("answers a caller whose broker node died (an address RabbitMQ can't resolve) once, without working on it again, then serves on", async () => {
    const raw = await connect(iso.infra.rabbitUrl);
    const ch = await raw.createChannel();
    // RabbitMQ closes the replying connection (541 INTERNAL_ERROR) on a direct reply-to address it
    // can't resolve, as for a caller on a cluster node that was just killed.
    ch.sendToQueue(topology.rpcQueue('test'), Buffer.from(JSON.stringify({ id: 'orphaned-caller' })), {
      type: 'test.count',
      replyTo: 'amq.rabbitmq.reply-to.g1h2AA5yZXBseUAxMjM0NTY3OAAAAAAAAAAAAAAAAAAAAA.unresolvable',
      headers: { [DEADLINE_HEADER]: Date.now() + 60_000 },
    });
    await waitFor('the orphaned request to be handled', () => counted.includes('orphaned-caller'));
    await waitFor('the server to reconnect', () => serverAmqp.isConnected(), 10_000);
    // Acked before the reply took the connection down: not redelivered, not worked on again.
    await waitFor(
      'the queue to be empty',
      async () => (await ch.checkQueue(topology.rpcQueue('test'))).messageCount === 0,
    );
    await raw.close();
    const res = await request(http.getHttpServer()).get('/echo').expect(200);
    expect(res.body).toBeDefined();
    await new Promise((r) => setTimeout(r, 500)); // room for a redelivery to show up, if there were one
    expect(counted.filter((id) => id === 'orphaned-caller')).toEqual(['orphaned-caller']);
  });

  it('records client and server latency histograms by pattern and outcome', async () => {
    const text = await metrics.render();
    expect(text).toMatch(
      /rpc_duration_seconds_count\{app="rpc-test",side="client",pattern="test.echo",outcome="ok"\} [1-9]/,
    );
    expect(text).toMatch(
      /rpc_duration_seconds_count\{app="rpc-test",side="server",pattern="test.crash",outcome="INTERNAL"\} 1\n/,
    );
    expect(text).toMatch(/outcome="UPSTREAM_TIMEOUT"/);
  });

  it('answers the requests it is working on when it shuts down, and takes no new ones', async () => {
    iso.queue('rpc.drain'); // so cleanup deletes this service's queue
    const drainAmqp = new AmqpConnection({ url: iso.infra.rabbitUrl, name: 'rpc-drain', logger });
    const draining = await NestFactory.createMicroservice(TestServiceModule, {
      strategy: new AmqpRpcServer({ service: 'drain', amqp: drainAmqp, topology, logger, metrics }),
      logger: false,
    });
    draining.useGlobalFilters(new PassThroughRpcErrors());
    drainAmqp.start();
    await draining.listen();
    await drainAmqp.waitUntilConnected();
    try {
      const inFlight = client.send('drain', 'test.slow', { ms: 400 }, 3000);
      await new Promise((r) => setTimeout(r, 100)); // the service has it now
      const closing = draining.close();
      await expect(inFlight).resolves.toEqual({ sleptMs: 400 });
      await closing;
      await expect(client.send('drain', 'test.slow', { ms: 1 }, 500)).rejects.toMatchObject({
        code: 'UPSTREAM_TIMEOUT',
      });
    } finally {
      await drainAmqp.close();
    }
  });
});
