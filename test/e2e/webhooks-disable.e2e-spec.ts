import { randomUUID } from 'node:crypto';
import { TestIsolation, waitFor } from '@lib/testing';
import { ADMIN_ENV, admin, apiClient, member, type ApiClientCaller } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';
import { LOCAL_RECEIVERS_ENV, receiverPool, type WebhookReceiver } from '../support/webhook-receiver';

/** "5 days" shrunk to 2 s, and a schedule that outlasts it (12 × 250 ms). */
const DISPATCHER_ENV = {
  ...LOCAL_RECEIVERS_ENV,
  WEBHOOKS_RETRY_SCHEDULE: Array(12).fill('250ms').join(','),
  WEBHOOKS_DISABLE_AFTER: '2s',
  WEBHOOKS_POLL_MS: '50',
};

/**
 * An endpoint whose deliveries have all failed for WEBHOOKS_DISABLE_AFTER (5 days in production)
 * is disabled by the dispatcher, with an audit entry; one that recovers in time is not; a disabled
 * endpoint is sent nothing (events meanwhile skip it), and enabling it resumes its waiting delivery.
 */
describe('webhooks: an endpoint failing for too long is disabled', () => {
  const iso = new TestIsolation('webhook-disable');
  let stack: PlatformStack;
  let http: PlatformStack['http'];
  let boss: Awaited<ReturnType<typeof admin>>;
  let till: ApiClientCaller;
  const receivers = receiverPool();

  beforeAll(async () => {
    stack = await startPlatformStack(iso, {
      services: ['loyalty', 'webhook-dispatcher'],
      env: { 'webhook-dispatcher': DISPATCHER_ENV },
      authEnv: ADMIN_ENV,
    });
    http = stack.http;
    boss = await admin(http);
    till = await apiClient(http, boss.auth, ['purchases:write']);
  });

  afterAll(async () => {
    await stack?.close();
    await receivers.closeAll();
    await iso.cleanup();
  });

  const endpointFor = async (r: WebhookReceiver) => {
    const res = await http()
      .post('/v1/admin/webhooks')
      .set(boss.auth)
      .send({ url: r.url, events: ['purchase.recorded'] });
    expect(res.status).toBe(201);
    return res.body.webhookId as string;
  };
  const purchase = async () => {
    const m = await member(http);
    await http()
      .post('/v1/purchases')
      .set(till.auth)
      .send({ purchaseId: `p-${randomUUID()}`, userId: m.userId, amount: '5.00' })
      .expect(201);
  };
  const endpoint = async (webhookId: string) =>
    (await http().get(`/v1/admin/webhooks/${webhookId}`).set(boss.auth).expect(200)).body;

  it('disables a dead endpoint with an audit entry, spares one that recovers, and resumes on enable', async () => {
    const dead = await receivers.start();
    const flaky = await receivers.start();
    dead.answer = () => ({ status: 500 });
    // Fails twice, then answers: it recovers before the second is up.
    flaky.answer = (_req, i) => ({ status: i < 2 ? 500 : 200 });
    const deadId = await endpointFor(dead);
    const flakyId = await endpointFor(flaky);
    await purchase();

    const disabled = await waitFor('the dead endpoint to be disabled', async () => {
      const e = await endpoint(deadId);
      return e.status === 'DISABLED' ? e : undefined;
    });
    expect(disabled).toMatchObject({ disabledReason: 'FAILING', failingSince: expect.any(String) });
    const [entry] = await waitFor('the audit entry', async () => {
      const res = await http()
        .get('/v1/admin/audit-logs')
        .query({ action: 'webhook.disable-failing', target: `webhook:${deadId}` })
        .set(boss.auth)
        .expect(200);
      return res.body.items.length ? res.body.items : undefined;
    });
    expect(entry).toMatchObject({ actorId: 'system:webhook-dispatcher', details: { url: dead.url } });
    expect(await endpoint(flakyId)).toMatchObject({ status: 'ENABLED', failingSince: null });

    // Disabled, it is sent nothing: its delivery waits, PENDING, and new events skip it.
    const tried = dead.received.length;
    await purchase();
    await waitFor('the flaky endpoint to get the second purchase', async () => flaky.received.length >= 4);
    expect(dead.received.length).toBe(tried);

    dead.answer = () => ({ status: 200 });
    await http().patch(`/v1/admin/webhooks/${deadId}`).set(boss.auth).send({ status: 'ENABLED' }).expect(200);
    const log = await waitFor('the waiting delivery to go out once enabled', async () => {
      const res = await http().get(`/v1/admin/webhooks/${deadId}/deliveries`).set(boss.auth).expect(200);
      const items = res.body.items as Array<{ status: string; attempts: number }>;
      return items.length && items.every((d) => d.status === 'SUCCEEDED') ? items : undefined;
    });
    expect(log).toHaveLength(1);
    expect(log[0].attempts).toBe(tried + 1);
    expect(await endpoint(deadId)).toMatchObject({
      status: 'ENABLED',
      disabledReason: null,
      failingSince: null,
    });
  });
});
