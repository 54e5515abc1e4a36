import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { RPC } from '@lib/contracts';
import { RpcClient, Topology } from '@lib/messaging';
import { TestIsolation } from '@lib/testing';
import { ADMIN_ENV, admin } from '../support/identity-client';
import {
  AsCaller,
  envelopeCases,
  itRefusesEveryMalformedRequest,
  pageQueryCases,
  RpcCase,
  unexpectedPartCases,
} from '../support/rpc-validation';
import { PlatformStack, startPlatformStack } from '../support/stack';

const W = RPC.webhooks;
/** Every dispatcher pattern but ping (which takes nothing and belongs to the runtime). */
const PATTERNS: string[] = Object.values(W).filter((p) => p !== W.ping);

/**
 * Whatever reaches the dispatcher's RPC queue is checked with the gateway's own DTOs before any
 * use case runs: every pattern, sent malformed straight to this file's `rpc.webhooks` queue with
 * an admin's token, answers VALIDATION_FAILED naming the field, and not one document of the
 * dispatcher's database changes (a real endpoint exists, so a request that got through would write).
 */
describe('webhook dispatcher RPCs refuse malformed payloads off the queue and write nothing', () => {
  const iso = new TestIsolation('webhooks-rpc-validation');
  let stack: PlatformStack;
  let rpc: RpcClient;
  let db: mongoose.Connection;
  let adminToken: string;
  let webhookId = '';

  const asAdmin: AsCaller = (rest) => ({ caller: { accessToken: adminToken }, ...rest });

  beforeAll(async () => {
    stack = await startPlatformStack(iso, {
      services: ['webhook-dispatcher'],
      env: {
        'webhook-dispatcher': { WEBHOOKS_ALLOW_HTTP: 'true', WEBHOOKS_ALLOWED_PRIVATE_CIDRS: '127.0.0.0/8' },
      },
      authEnv: ADMIN_ENV,
    });
    rpc = stack.gateway.get(RpcClient);
    expect(stack.gateway.get(Topology).rpcQueue('webhooks')).toBe(`${iso.namePrefix}rpc.webhooks`);
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: iso.database('webhook-dispatcher') })
      .asPromise();
    const chief = await admin(stack.http);
    adminToken = chief.accessToken;
    const created = await stack
      .http()
      .post('/v1/admin/webhooks')
      .set(chief.auth)
      .send({ url: 'http://127.0.0.1:9/hooks', events: ['*'] })
      .expect(201);
    webhookId = created.body.webhookId;
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const endpoint = { url: 'https://crm.example.com/hooks', events: ['purchase.recorded'] };
  const params = () => ({ webhookId });
  const deliveryParams = () => ({ webhookId, deliveryId: randomUUID() });
  /** Path parameters broken every way; `rest` is the rest of an otherwise valid request. */
  const badParams = (rest: object, valid: () => object, name = 'webhookId'): RpcCase[] => [
    ['no params', asAdmin(rest), name],
    [`a ${name} that is not a UUID`, asAdmin({ ...rest, params: { ...valid(), [name]: 'abc' } }), name],
    [`a ${name} that is a number`, asAdmin({ ...rest, params: { ...valid(), [name]: 42 } }), name],
    ['an unknown params field', asAdmin({ ...rest, params: { ...valid(), userId: 'x' } }), 'userId'],
  ];
  const badBodies = (rest: object, required: boolean): RpcCase[] => [
    ...(required ? ([['no body', asAdmin(rest), 'url']] as RpcCase[]) : []),
    ['a body that is not an object', asAdmin({ ...rest, body: 'hooks' }), 'body'],
    ['a url that is not a URL', asAdmin({ ...rest, body: { ...endpoint, url: 'crm' } }), 'url'],
    ['an ftp url', asAdmin({ ...rest, body: { ...endpoint, url: 'ftp://x.example/' } }), 'url'],
    [
      'a url with credentials',
      asAdmin({ ...rest, body: { ...endpoint, url: 'https://a:b@x.example/' } }),
      'url',
    ],
    ['no events', asAdmin({ ...rest, body: { ...endpoint, events: [] } }), 'events'],
    ['an unknown event', asAdmin({ ...rest, body: { ...endpoint, events: ['points.minted'] } }), 'events'],
    ['a repeated event', asAdmin({ ...rest, body: { ...endpoint, events: ['*', '*'] } }), 'events'],
    ['events as a string', asAdmin({ ...rest, body: { ...endpoint, events: '*' } }), 'events'],
    ['a null description', asAdmin({ ...rest, body: { ...endpoint, description: null } }), 'description'],
    ['a secret of its own', asAdmin({ ...rest, body: { ...endpoint, secret: 'whsec_x' } }), 'secret'],
  ];

  const cases = (): Record<string, RpcCase[]> => ({
    [W.createEndpoint]: [
      ...envelopeCases(() => asAdmin({ body: endpoint })),
      ...badBodies({}, true),
      ...unexpectedPartCases(asAdmin, { body: endpoint }, ['query', 'params']),
    ],
    [W.listEndpoints]: [
      ...envelopeCases(() => asAdmin({})),
      ...pageQueryCases(asAdmin, {}),
      ...unexpectedPartCases(asAdmin, {}, ['body', 'params']),
    ],
    [W.getEndpoint]: [
      ...envelopeCases(() => asAdmin({ params: params() })),
      ...badParams({}, params),
      ...unexpectedPartCases(asAdmin, { params: params() }, ['body', 'query']),
    ],
    [W.updateEndpoint]: [
      ...envelopeCases(() => asAdmin({ params: params(), body: { status: 'DISABLED' } })),
      ...badParams({ body: { status: 'DISABLED' } }, params),
      ...badBodies({ params: params() }, false),
      ['no body', asAdmin({ params: params() }), 'body'],
      ['an empty body', asAdmin({ params: params(), body: {} }), 'body'],
      ['an unknown status', asAdmin({ params: params(), body: { status: 'PAUSED' } }), 'status'],
      [
        'a failingSince of its own',
        asAdmin({ params: params(), body: { failingSince: null } }),
        'failingSince',
      ],
    ],
    [W.deleteEndpoint]: [
      ...envelopeCases(() => asAdmin({ params: params() })),
      ...badParams({}, params),
      ...unexpectedPartCases(asAdmin, { params: params() }, ['body', 'query']),
    ],
    [W.listDeliveries]: [
      ...envelopeCases(() => asAdmin({ params: params() })),
      ...badParams({}, params),
      ...pageQueryCases(asAdmin, { params: params() }),
      ['an unknown status', asAdmin({ params: params(), query: { status: 'LOST' } }), 'status'],
      ['an unknown event type', asAdmin({ params: params(), query: { eventType: 'x.y' } }), 'eventType'],
      ...unexpectedPartCases(asAdmin, { params: params() }, ['body']),
    ],
    [W.retryDelivery]: [
      ...envelopeCases(() => asAdmin({ params: deliveryParams() })),
      ...badParams({}, deliveryParams),
      ...badParams({}, deliveryParams, 'deliveryId'),
      ...unexpectedPartCases(asAdmin, { params: deliveryParams() }, ['body', 'query']),
    ],
  });

  itRefusesEveryMalformedRequest('webhooks', PATTERNS, () => ({ rpc, db, cases: cases() }));
});
