import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { DeliveryStatus, WebhookEventType } from '@lib/contracts';
import { openMongoConnection, SchemaSetup } from '@lib/persistence';
import { TestIsolation } from '@lib/testing';
import type { Delivery } from '../domain/delivery';
import type { WebhookEndpoint } from '../domain/endpoint';
import { DELIVERY_MODEL, deliverySchema, MongoDeliveriesRepository } from './deliveries.mongo';
import { ENDPOINT_MODEL, endpointSchema, MongoEndpointsRepository } from './endpoints.mongo';

/**
 * The admin lists' `total` (the console's "Page 2 of 53 · 1,047 deliveries"): how many endpoints,
 * and how many of one endpoint's deliveries match the filters, whatever the page and its size.
 * Real MongoDB, with the collections' own indexes.
 */
describe('webhook endpoint and delivery pages count every match (real MongoDB)', () => {
  const iso = new TestIsolation('webhook-totals');
  let connection: Connection;
  let endpoints: MongoEndpointsRepository;
  let deliveries: MongoDeliveriesRepository;

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    const setup = new SchemaSetup(connection);
    setup.registerModel(connection.model(ENDPOINT_MODEL, endpointSchema));
    setup.registerModel(connection.model(DELIVERY_MODEL, deliverySchema));
    await setup.run();
    endpoints = new MongoEndpointsRepository(connection.model(ENDPOINT_MODEL) as never);
    deliveries = new MongoDeliveriesRepository(connection.model(DELIVERY_MODEL) as never);
  });

  afterAll(async () => {
    await connection.close();
    await iso.cleanup();
  });

  const endpoint = (i: number): WebhookEndpoint => ({
    webhookId: randomUUID(),
    url: `https://crm.example.com/hooks/${i}`,
    events: ['*'],
    description: null,
    status: 'ENABLED',
    disabledReason: null,
    failingSince: null,
    secret: 'whsec_c2VjcmV0',
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
    updatedAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
  });
  const delivery = (
    webhookId: string,
    i: number,
    status: DeliveryStatus,
    eventType: WebhookEventType,
  ): Delivery => ({
    deliveryId: randomUUID(),
    webhookId,
    eventId: `msg_${randomUUID()}`,
    eventType,
    body: '{}',
    status,
    attempts: status === 'PENDING' ? 0 : 1,
    lastStatusCode: null,
    lastError: null,
    lastAttemptAt: null,
    nextAttemptAt: null,
    finalAttempt: false,
    createdAt: new Date(Date.UTC(2026, 0, 2, 0, i)),
  });

  it('says how many endpoints there are on every page, and the pages hold exactly that many', async () => {
    expect(await endpoints.page({ limit: 20 })).toEqual({ items: [], nextCursor: null, total: 0 });
    for (let i = 0; i < 7; i++) await endpoints.insert(endpoint(i));

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await endpoints.page({ limit: 3, cursor });
      expect(page.total).toBe(7);
      seen.push(...page.items.map((e) => e.webhookId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(7);
  });

  it("counts one endpoint's deliveries that match its status and event-type filters, not another's", async () => {
    const mine = randomUUID();
    const other = randomUUID();
    await deliveries.add(
      [
        ...Array.from({ length: 5 }, (_, i) => delivery(mine, i, 'SUCCEEDED', 'purchase.recorded')),
        ...Array.from({ length: 3 }, (_, i) => delivery(mine, 10 + i, 'FAILED', 'purchase.recorded')),
        ...Array.from({ length: 2 }, (_, i) => delivery(mine, 20 + i, 'FAILED', 'points.redeemed')),
        ...Array.from({ length: 4 }, (_, i) => delivery(other, i, 'FAILED', 'points.redeemed')),
      ],
      null,
    );

    const first = await deliveries.page(mine, {}, { limit: 4 });
    expect(first.items).toHaveLength(4);
    expect(first.total).toBe(10);
    const second = await deliveries.page(mine, {}, { limit: 4, cursor: first.nextCursor ?? undefined });
    expect(second.total).toBe(10);

    expect((await deliveries.page(mine, { status: 'FAILED' }, { limit: 1 })).total).toBe(5);
    expect((await deliveries.page(mine, { eventType: 'points.redeemed' }, { limit: 1 })).total).toBe(2);
    const both = await deliveries.page(
      mine,
      { status: 'FAILED', eventType: 'purchase.recorded' },
      { limit: 20 },
    );
    expect(both.total).toBe(3);
    expect(both.items).toHaveLength(3);
    expect((await deliveries.page(mine, { status: 'PENDING' }, { limit: 20 })).total).toBe(0);
    expect((await deliveries.page(other, {}, { limit: 20 })).total).toBe(4);
  });
});
