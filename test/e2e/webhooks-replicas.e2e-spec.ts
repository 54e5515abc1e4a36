import { randomUUID } from 'node:crypto';
import { Metrics } from '@lib/observability';
import { TestIsolation, waitFor } from '@lib/testing';
import { ADMIN_ENV, admin, apiClient, member } from '../support/identity-client';
import { PlatformStack, startPlatformStack, startService } from '../support/stack';
import { LOCAL_RECEIVERS_ENV, receiverPool } from '../support/webhook-receiver';

const EVENTS = 300;
/** Lanes of 1 in flight and 64 held: most deliveries overflow to MongoDB and are claimed by either replica. */
const DISPATCHER_ENV = { ...LOCAL_RECEIVERS_ENV, WEBHOOKS_ENDPOINT_CONCURRENCY: '1', WEBHOOKS_POLL_MS: '50' };

/**
 * Two dispatcher replicas share the event queue and the work list. Each delivery is claimed by one
 * of them (the claim's filter is the claim condition again), so while both are healthy a receiver
 * gets every event exactly once: 300 purchases, 300 requests, 300 distinct webhook-ids.
 */
describe('webhooks: two dispatcher replicas never send the same delivery twice', () => {
  const iso = new TestIsolation('webhook-replicas');
  const receivers = receiverPool();
  let stack: PlatformStack;
  let second: Awaited<ReturnType<typeof startService>> | undefined;

  beforeAll(async () => {
    stack = await startPlatformStack(iso, {
      services: ['loyalty', 'webhook-dispatcher'],
      env: { 'webhook-dispatcher': DISPATCHER_ENV },
      authEnv: ADMIN_ENV,
    });
    second = await startService(iso, 'webhook-dispatcher', DISPATCHER_ENV);
  });

  afterAll(async () => {
    await second?.close();
    await stack?.close();
    await receivers.closeAll();
    await iso.cleanup();
  });

  it('delivers 300 events to one endpoint exactly 300 times between them', async () => {
    const http = stack.http;
    const boss = await admin(http);
    const till = await apiClient(http, boss.auth, ['purchases:write']);
    const r = await receivers.start();
    await http()
      .post('/v1/admin/webhooks')
      .set(boss.auth)
      .send({ url: r.url, events: ['purchase.recorded'] })
      .expect(201);
    const m = await member(http);
    const purchaseIds = Array.from({ length: EVENTS }, () => `p-${randomUUID()}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < purchaseIds.length) {
          const purchaseId = purchaseIds[next++];
          await http()
            .post('/v1/purchases')
            .set(till.auth)
            .send({ purchaseId, userId: m.userId, amount: '1.00' })
            .expect(201);
        }
      }),
    );
    await waitFor(`${EVENTS} deliveries`, async () => r.distinctIds().size >= EVENTS, 60_000);
    // Whatever is still in flight lands; then nothing more comes.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(r.received).toHaveLength(EVENTS);
    expect(r.distinctIds().size).toBe(EVENTS);
    const delivered = new Set(
      r.received.map((x) => (JSON.parse(x.body) as { data: { purchaseId: string } }).data.purchaseId),
    );
    expect(delivered).toEqual(new Set(purchaseIds));
    // Both took part, and their attempts add up to the 300 exactly.
    const attempts = await Promise.all(
      [stack.services['webhook-dispatcher']!, second!].map(async (app) => {
        const metric = await app.get(Metrics).webhookAttempts.get();
        return metric.values.find((v) => v.labels.outcome === 'succeeded')?.value ?? 0;
      }),
    );
    expect(attempts.every((n) => n > 0)).toBe(true);
    expect(attempts[0] + attempts[1]).toBe(EVENTS);
  }, 120_000);
});
