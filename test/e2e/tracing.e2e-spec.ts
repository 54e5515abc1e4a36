import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { RPC } from '@lib/contracts';
import { TestIsolation, waitFor } from '@lib/testing';
import { startInMemoryTracing } from '../../libs/observability/src/testing/in-memory-tracing';
import { ADMIN_ENV, admin, apiClient, member } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');

type Res = { status: number; body: Record<string, any> };

const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const kindName = (s: ReadableSpan) => SpanKind[s.kind];
const startNs = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1];
const endNs = (s: ReadableSpan) => s.endTime[0] * 1e9 + s.endTime[1];

/**
 * In production each app is its own process and names its spans by its resource's service.name.
 * Here all apps share one process and one provider, so a span's service is that of the server or
 * consumer span it runs under: an HTTP server span is the gateway's, an RPC server span names its
 * service, a consumer's queue is named after the service that owns it.
 */
function serviceOf(span: ReadableSpan, byId: Map<string, ReadableSpan>): string {
  for (let s: ReadableSpan | undefined = span; s; s = byId.get(parentOf(s) ?? '')) {
    if (s.kind === SpanKind.SERVER && s.attributes['http.request.method'] !== undefined) return 'gateway';
    if (s.kind === SpanKind.SERVER) return String(s.attributes['rpc.service']);
    if (s.kind === SpanKind.CONSUMER)
      return String(s.attributes['messaging.consumer.group.name']).split('.')[0];
  }
  return '?';
}

/** service, span name, kind and duration, indented by depth: the trace as the lead can quote it. */
function renderTree(spans: ReadableSpan[]): string {
  const byId = new Map(spans.map((s) => [idOf(s), s]));
  const children = new Map<string, ReadableSpan[]>();
  const roots: ReadableSpan[] = [];
  for (const s of spans) {
    const parent = parentOf(s);
    if (parent && byId.has(parent)) children.set(parent, [...(children.get(parent) ?? []), s]);
    else roots.push(s);
  }
  const start = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1];
  const lines: string[] = [];
  const walk = (s: ReadableSpan, depth: number) => {
    const ms = (s.duration[0] * 1e3 + s.duration[1] / 1e6).toFixed(1);
    lines.push(
      `${'  '.repeat(depth)}${serviceOf(s, byId).padEnd(8)} ${kindName(s).padEnd(8)} ${s.name}  ${ms} ms`,
    );
    for (const c of (children.get(idOf(s)) ?? []).sort((a, b) => start(a) - start(b))) walk(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => start(a) - start(b))) walk(r, 0);
  return lines.join('\n');
}

describe('tracing: one request followed from the gateway through RabbitMQ into a service and MongoDB', () => {
  const iso = new TestIsolation('tracing');
  // Before the apps start: they find this provider and register none of their own.
  const tracing = startInMemoryTracing();
  let stack: PlatformStack;
  let http: PlatformStack['http'];

  beforeAll(async () => {
    stack = await startPlatformStack(iso, { services: ['loyalty'], authEnv: ADMIN_ENV });
    http = stack.http;
  });

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
    await tracing.stop();
  });

  /** The spans of the trace whose root is the gateway's span for `name`, once `done` holds. */
  async function traceOf(
    rootName: string,
    done: (spans: ReadableSpan[]) => boolean,
  ): Promise<ReadableSpan[]> {
    let spans: ReadableSpan[] = [];
    await waitFor(`the trace of ${rootName}`, () => {
      const root = tracing.spans().find((s) => s.name === rootName && !s.parentSpanContext);
      if (!root) return false;
      spans = tracing.spans().filter((s) => s.spanContext().traceId === root.spanContext().traceId);
      return done(spans);
    });
    return spans;
  }

  it("gives a purchase ONE trace: the gateway, the RPC to loyalty, loyalty's member lookup in auth and loyalty's MongoDB writes", async () => {
    const till = await apiClient(http, (await admin(http)).auth, ['purchases:write']);
    const purchase = (purchaseId: string, userId: string) =>
      http()
        .post('/v1/purchases')
        .set(till.auth)
        .send({ purchaseId, userId, amount: '12.50' }) as unknown as Promise<Res>;
    // loyalty fetches auth's keys and the revocation list once; this member is then in its cache.
    expect((await purchase('warm-up', (await member(http)).userId)).status).toBe(201);
    // A member loyalty has not looked up yet: the trace shows the lookup, not a cache hit.
    const shopper = await member(http);
    tracing.reset();

    expect((await purchase('traced', shopper.userId)).status).toBe(201);
    const spans = await traceOf('POST /v1/purchases', (all) =>
      all.some((s) => s.kind === SpanKind.SERVER && s.name === 'loyalty.purchase.create'),
    );

    const [httpSpan] = spans.filter((s) => s.name === 'POST /v1/purchases');
    const rpc = (kind: SpanKind, name: string) => spans.find((s) => s.kind === kind && s.name === name);
    const client = rpc(SpanKind.CLIENT, RPC.loyalty.createPurchase);
    const server = rpc(SpanKind.SERVER, RPC.loyalty.createPurchase);
    expect(httpSpan).toMatchObject({ kind: SpanKind.SERVER, attributes: { 'http.route': '/v1/purchases' } });
    expect(httpSpan.attributes['http.response.status_code']).toBe(201);
    // Parent links across the wire: HTTP server → RPC client (gateway) → RPC server (loyalty).
    expect(client && parentOf(client)).toBe(idOf(httpSpan));
    expect(server && parentOf(server)).toBe(idOf(client!));
    expect(server!.attributes['rpc.service']).toBe('loyalty');

    // Loyalty asks auth which group the named member is in: RPC client (loyalty) → RPC server (auth).
    const byId = new Map(spans.map((s) => [idOf(s), s]));
    const lookupClient = rpc(SpanKind.CLIENT, RPC.auth.lookupMember);
    const lookupServer = rpc(SpanKind.SERVER, RPC.auth.lookupMember);
    expect(lookupClient && parentOf(lookupClient)).toBe(idOf(server!));
    expect(lookupServer && parentOf(lookupServer)).toBe(idOf(lookupClient!));
    expect(lookupServer!.attributes['rpc.service']).toBe('auth');

    // MongoDB: the purchase's reads and its transaction's writes under loyalty's server span, and
    // auth's read of the member under its own.
    const mongo = spans.filter((s) => s.attributes['db.system.name'] === 'mongodb');
    for (const s of mongo) expect(s.kind).toBe(SpanKind.CLIENT);
    const loyaltyMongo = mongo.filter((s) => serviceOf(s, byId) === 'loyalty');
    const authMongo = mongo.filter((s) => serviceOf(s, byId) === 'auth');
    expect(loyaltyMongo.length + authMongo.length).toBe(mongo.length);
    expect(authMongo.length).toBeGreaterThan(0);
    const operations = loyaltyMongo.map((s) => s.attributes['db.operation.name']);
    expect(operations).toEqual(expect.arrayContaining(['insert', 'commitTransaction']));
    expect(loyaltyMongo.map((s) => s.attributes['db.collection.name'])).toEqual(
      expect.arrayContaining(['ledger_requests']),
    );
    // The lookup is done before loyalty's transaction starts: no RPC waits inside a transaction.
    const firstWrite = Math.min(
      ...loyaltyMongo.filter((s) => s.attributes['db.operation.name'] === 'insert').map(startNs),
    );
    expect(endNs(lookupClient!)).toBeLessThanOrEqual(firstWrite);

    // One trace, and every span of it belongs to the gateway, loyalty or auth.
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(new Set(spans.map((s) => serviceOf(s, byId)))).toEqual(new Set(['gateway', 'loyalty', 'auth']));
    console.log(`one purchase, one trace (${spans[0].spanContext().traceId}):\n${renderTree(spans)}`);
  });

  it("carries the trace through the outbox: the consumer's span continues the request that wrote the event", async () => {
    const m = await member(http);
    const boss = await admin(http);
    tracing.reset();
    const res = (await http()
      .post(`/v1/admin/groups/${m.groupId}/transactions`)
      .set(boss.auth)
      .send({ transactionId: 'traced-1', payer: 'DANNON', points: 40, reason: 'tracing' })) as unknown as Res;
    expect(res.status).toBe(201);

    const route = 'POST /v1/admin/groups/:groupId/transactions';
    const consumed = (all: ReadableSpan[], event: string) =>
      all.find((s) => s.kind === SpanKind.CONSUMER && s.name === `process ${event}`);
    const spans = await traceOf(
      route,
      (all) => !!consumed(all, 'audit.recorded') && !!consumed(all, 'loyalty.points.adjusted'),
    );
    const byId = new Map(spans.map((s) => [idOf(s), s]));
    const server = spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['rpc.service'] === 'loyalty');
    for (const event of ['audit.recorded', 'loyalty.points.adjusted']) {
      // request (loyalty's server span) → the relay's publish → auth's consumer
      const publish = spans.find((s) => s.kind === SpanKind.PRODUCER && s.name === `publish ${event}`);
      const consumer = consumed(spans, event)!;
      expect(publish && parentOf(publish)).toBe(idOf(server!));
      expect(parentOf(consumer)).toBe(idOf(publish!));
      expect(serviceOf(consumer, byId)).toBe('auth');
      // ...and the consumer's own MongoDB writes, in its transaction, under its span.
      const writes = spans.filter(
        (s) => s.attributes['db.system.name'] === 'mongodb' && parentOf(s) === idOf(consumer),
      );
      expect(writes.map((s) => s.attributes['db.operation.name'])).toContain('commitTransaction');
    }
    expect(new Set(spans.map((s) => serviceOf(s, byId)))).toEqual(new Set(['gateway', 'loyalty', 'auth']));
  });

  it('keeps probes out of the traces', async () => {
    tracing.reset();
    await http().get('/health/ready').expect(200);
    await http().get('/metrics').expect(200);
    await http()
      .get('/v1/me')
      .set((await member(http)).auth)
      .expect(200);
    await waitFor('the /v1/me span', () => tracing.spans().some((s) => s.name === 'GET /v1/me'));
    expect(tracing.spans().filter((s) => /health|metrics/.test(s.name))).toEqual([]);
  });
});

describe('tracing in a real Node process (require hooks, as main.ts boots)', () => {
  /** Loads what every main.ts loads first, then reports whether the drivers came out patched. */
  function boot(env: NodeJS.ProcessEnv) {
    const script = `
      require('reflect-metadata');
      require('@lib/config');
      require('@lib/runtime');
      const { Connection } = require('mongodb/lib/cmap/connection.js');
      const Redis = require('ioredis');
      const loaded = Object.keys(require.cache).filter((f) => f.includes('@opentelemetry/sdk-trace'));
      console.log(JSON.stringify({
        mongodb: Boolean(Connection.prototype.command.__wrapped),
        ioredis: Boolean(Redis.prototype.sendCommand.__wrapped),
        sdkLoaded: loaded.length > 0,
      }));`;
    const res = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script],
      { cwd: ROOT, env: { ...process.env, ...env, TS_NODE_PROJECT: 'tsconfig.json' }, encoding: 'utf8' },
    );
    if (res.status !== 0) throw new Error(res.stderr);
    return JSON.parse(res.stdout.trim().split('\n').pop()!);
  }

  it('with OTEL_EXPORTER_OTLP_ENDPOINT, patches MongoDB and ioredis as @lib/runtime loads them', () => {
    expect(boot({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual({
      mongodb: true,
      ioredis: true,
      sdkLoaded: true,
    });
  });

  it('without it, loads no SDK and patches nothing', () => {
    expect(boot({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toEqual({
      mongodb: false,
      ioredis: false,
      sdkLoaded: false,
    });
  });

  it('every main.ts imports @lib/runtime before any module of its own (which would load the drivers)', () => {
    for (const app of ['gateway', 'auth', 'loyalty', 'promotion', 'coupon-worker']) {
      const source = readFileSync(join(ROOT, 'apps', app, 'src', 'main.ts'), 'utf8');
      const imports = [...source.matchAll(/^import .*?from '([^']+)';|^import '([^']+)';/gms)].map(
        (m) => m[1] ?? m[2],
      );
      const runtime = imports.indexOf('@lib/runtime');
      expect([
        app,
        runtime >= 0,
        imports.slice(0, runtime).every((i) => ['reflect-metadata', '@lib/config'].includes(i)),
      ]).toEqual([app, true, true]);
    }
  });
});
